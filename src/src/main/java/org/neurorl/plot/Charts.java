package org.neurorl.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart drawing for the figures: lines with shaded 95% bands, and action heat maps; PNGs are written
 * atomically (temporary file, then rename) so a reader never sees half an image.
 */
public final class Charts {
  /** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
  public static final Color[] PALETTE = {
      new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
      new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};
  /** Heat-map colours of arm 1 and arm 2. */
  public static final Color ARM_1 = new Color(0x0072B2);
  public static final Color ARM_2 = new Color(0xE69F00);
  private static final int BAND_ALPHA = 56;

  private Charts() {}

  /** An empty chart against trial in the house style (white, light grid, sans-serif fonts, integer trial ticks). */
  static XYChart trialChart(String title, String yTitle, int width, int height,
      Styler.LegendPosition legend) {
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("trial")
        .yAxisTitle(yTitle).build();
    XYStyler s = chart.getStyler();
    s.setPlotGridLinesColor(new Color(0xDDDDDD));
    s.setLegendPosition(legend);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(new Color(0x888888));
    s.setLegendBorderColor(new Color(0xBBBBBB));
    s.setAntiAlias(true);
    s.setXAxisTickMarkSpacingHint(90);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    // a tick-label function would make XChart put a tick on every trial; a decimal pattern does not
    s.setXAxisDecimalPattern("#");
    return chart;
  }

  /**
   * One line per curve against trial (1 … T), each over a translucent band mean ± ci95 in its colour.
   * The bands are drawn first so no line is hidden under another agent's band.
   */
  public static XYChart linesWithBands(String title, String yTitle, List<TrialCurve> curves, int width,
      int height) {
    XYChart chart = trialChart(title, yTitle, width, height, Styler.LegendPosition.InsideNW);
    for (int c = 0; c < curves.size(); c++) {
      TrialCurve curve = curves.get(c);
      Color colour = PALETTE[c % PALETTE.length];
      double[] mean = curve.mean();
      double[] ci = curve.ci95();
      int n = mean.length;
      double[] bandX = new double[2 * n];
      double[] bandY = new double[2 * n];
      for (int t = 0; t < n; t++) {
        double half = Double.isFinite(ci[t]) ? ci[t] : 0;
        bandX[t] = t + 1;
        bandY[t] = mean[t] + half;
        bandX[2 * n - 1 - t] = t + 1;
        bandY[2 * n - 1 - t] = mean[t] - half;
      }
      XYSeries band = chart.addSeries(curve.agent() + " 95% interval", bandX, bandY);
      band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), BAND_ALPHA));
      band.setLineColor(new Color(0, 0, 0, 0));
      band.setMarker(SeriesMarkers.NONE);
      band.setShowInLegend(false);
    }
    for (int c = 0; c < curves.size(); c++) {
      TrialCurve curve = curves.get(c);
      double[] x = new double[curve.trials()];
      for (int t = 0; t < x.length; t++) {
        x[t] = t + 1;
      }
      XYSeries line = chart.addSeries(curve.label(), x, curve.mean());
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(PALETTE[c % PALETTE.length]);
      // every other line dashed: agents with nearly equal curves (Gittins, Bayes-optimal) stay visible
      line.setLineStyle(c % 2 == 0 ? new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
          : new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f));
      line.setMarker(SeriesMarkers.NONE);
    }
    // XChart puts a tick on every value when the x values are equally spaced (1, 2, …, T): a hundred
    // crowded labels. One invisible point off the grid makes it choose round steps (10, 20, …) instead.
    XYSeries anchor = chart.addSeries("x-axis anchor", new double[] {0.5}, new double[] {curves.get(0).mean()[0]});
    anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    anchor.setMarker(SeriesMarkers.NONE);
    anchor.setShowInLegend(false);
    return chart;
  }

  /**
   * The chosen arm of every episode (row, bottom to top in the order given) at every trial (column):
   * arm 1 and arm 2 in two colours. {@code rowLabels} label the rows (e.g. p₁); about ten are shown.
   */
  public static HeatMapChart actionHeatMap(String title, String yTitle, double[] rowValues, int[][] armByRowTrial,
      int width, int height) {
    int rows = armByRowTrial.length;
    int trials = armByRowTrial[0].length;
    HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height).title(title).xAxisTitle("trial")
        .yAxisTitle(yTitle).build();
    // A category axis labels every category; blank all but a few so the labels stay readable. Blank
    // labels are distinct strings (k spaces would be wide, so k zero-width joiners) because XChart keys
    // categories by label.
    List<String> x = new ArrayList<>(trials);
    int xStep = niceStep(trials, 10);
    for (int t = 0; t < trials; t++) {
      x.add((t + 1) % xStep == 0 || t == 0 ? Integer.toString(t + 1) : blank(t));
    }
    List<String> y = new ArrayList<>(rows);
    int yStep = niceStep(rows - 1, 10);
    for (int r = 0; r < rows; r++) {
      y.add(r % yStep == 0 || r == rows - 1 ? String.format(Locale.ROOT, "%.2f", rowValues[r]) : blank(r));
    }
    List<Number[]> cells = new ArrayList<>(rows * trials);
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < trials; t++) {
        cells.add(new Number[] {t, r, armByRowTrial[r][t] + 1});
      }
    }
    chart.addSeries("chosen arm", x, y, cells);
    chart.getStyler().setRangeColors(new Color[] {ARM_1, ARM_2}).setMin(1).setMax(2).setShowValue(false)
        .setDrawBorder(false);
    chart.getStyler().setPiecewise(true).setPiecewiseRanged(false).setSplitNumber(2);
    // the piecewise legend labels each colour by its lower bound: 1 (arm 1) and 1.5 (arm 2)
    chart.getStyler().setHeatMapDecimalValueFormatter(v -> v < 1.25 ? "arm 1" : "arm 2");
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
        .setAntiAlias(false);
    // one grid line and tick per category would be a hundred; the cells fill the plot anyway
    chart.getStyler().setPlotGridLinesVisible(false);
    chart.getStyler().setAxisTicksMarksVisible(false);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    return chart;
  }

  /** A step of 1, 2 or 5 × 10^k giving at most about {@code labels} labels over {@code span}. */
  static int niceStep(int span, int labels) {
    int step = 1;
    while (span / step > labels) {
      step = Integer.toString(step).startsWith("2") ? step / 2 * 5 : step * 2;
    }
    return step;
  }

  private static String blank(int k) {
    return "\u2060".repeat(k + 1);
  }

  /** Writes {@code chart} as a PNG to {@code file}, atomically; creates the folder. */
  public static void writePng(Chart<?, ?> chart, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      readableByAll(file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Temporary files are created owner-only (rw-------); a figure is for everyone to read. */
  private static void readableByAll(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** Writes text (a CSV) atomically. */
  public static void writeText(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      readableByAll(file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
