package org.neurorl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlanTest {
  @Test
  void quickPassFitsTenMinutesAndGivesTargetCellsThreeForks() {
    Plan p = Plan.of(Plan.Mode.QUICK, Pattern.compile(""));
    assertTrue(p.estimatedSeconds() < 600, "quick pass estimated at " + p.estimatedSeconds() + " s");
    Plan.Cell ratio = p.cells().stream()
        .filter(c -> c.label().equals("PlasticRnnBenchmark.reference n=128 batch=64")).findFirst().orElseThrow();
    assertEquals(3, ratio.forks());
    assertTrue(p.cells().stream().noneMatch(c -> c.label().equals("PlasticRnnBenchmark.reference n=256 batch=1024")));
    assertTrue(p.skipped().stream().anyMatch(s -> s.startsWith("PlasticRnnBenchmark.reference n=256 batch=1024")));
  }

  @Test
  void includeFiltersByLabel() {
    Plan p = Plan.of(Plan.Mode.QUICK, Pattern.compile("QBenchmark\\.latent"));
    assertEquals(2, p.cells().size());
    assertEquals("^\\QOrg.neurorl.bench.QBenchmark.latentSimd\\E$".replace("Org", "org"), p.cells().get(0).includeRegex());
  }

  @Test
  void declaredParamsAreFoundInNestedStates() {
    Map<String, String[]> probes = BenchMain.declaredParams(MachineProbes.class);
    assertEquals("1048576", probes.get("bytes")[0]);
    assertTrue(BenchMain.declaredParams(BlasCallBenchmark.class).containsKey("n"));
    assertTrue(BenchMain.hasBenchmarkMethod(MachineProbes.class, "rmw2T"));
    assertTrue(!BenchMain.hasBenchmarkMethod(MachineProbes.class, "readModifyWrite"));
  }

  @Test
  void helpListsTheOptions() {
    CommandLine cl = new CommandLine(new BenchMain(new String[0]));
    String usage = cl.getUsageMessage();
    for (String opt : new String[] {"--quick", "--full", "--include", "--out", "--latency", "--dry-run"}) {
      assertTrue(usage.contains(opt), opt + " missing from --help");
    }
    assertEquals(2, cl.execute("--quick", "--full"), "--quick with --full is a usage error");
  }
}
