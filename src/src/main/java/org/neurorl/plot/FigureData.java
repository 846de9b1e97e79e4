package org.neurorl.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The numbers behind a figure as CSV and JSON-ready maps (full double precision, {@code Double.toString}). */
public final class FigureData {
  private FigureData() {}

  /** Long format: {@code agent,trial,mean,ci95,lower,upper,samples}, one row per agent and trial. */
  public static String curvesCsv(List<TrialCurve> curves) {
    StringBuilder sb = new StringBuilder("agent,trial,mean,ci95,lower,upper,samples\n");
    for (TrialCurve c : curves) {
      double[] m = c.mean();
      double[] h = c.ci95();
      for (int t = 0; t < m.length; t++) {
        sb.append(c.agent()).append(',').append(t + 1).append(',').append(m[t]).append(',').append(h[t])
            .append(',').append(m[t] - h[t]).append(',').append(m[t] + h[t]).append(',').append(c.samples())
            .append('\n');
      }
    }
    return sb.toString();
  }

  static List<Map<String, Object>> curvesJson(List<TrialCurve> curves) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (TrialCurve c : curves) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("agent", c.agent());
      m.put("label", c.label());
      m.put("samples", c.samples());
      m.put("final", c.mean()[c.trials() - 1]);
      m.put("finalCi95", c.ci95()[c.trials() - 1]);
      m.put("mean", c.mean());
      m.put("ci95", c.ci95());
      list.add(m);
    }
    return list;
  }

  static Map<String, Object> agentsMap(FigureAgents a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agents", a.agents());
    m.put("gittinsGamma", a.gittinsGamma());
    m.put("bayesPrior", a.bayesPrior().label());
    m.put("learningRate", a.learningRate());
    m.put("beta", a.beta());
    m.put("latentUnits", a.latentUnits());
    m.put("initScale", a.initScale());
    m.put("qPolicy", "softmax");
    return m;
  }
}
