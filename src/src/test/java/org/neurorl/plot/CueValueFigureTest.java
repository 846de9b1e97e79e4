package org.neurorl.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.cli.CliRun;

/** The cue-values figure: its learners, its numbers, its files and its command. */
class CueValueFigureTest {
  private static final CueValueFigure.Options SMALL = new CueValueFigure.Options(200, 200, 0.1, 5, 2, 0.5, 7);

  @Test
  void tabularValueOfTheRewardedActionApproachesOneForCuesActiveLongEnough() {
    CueValueFigure.Result r = CueValueFigure.compute(SMALL);
    assertEquals(100, r.switchTrial());
    assertEquals(6, r.cues());
    for (int c : new int[] {2, 3}) {
      CueValueFigure.CueCurve curve = r.curve("tabular-q", c);
      assertEquals(0, curve.firstTrial());
      assertEquals(199, curve.lastTrial());
      assertEquals(0.0, curve.at(0), "tabular Q starts at 0");
      double last = curve.at(199);
      assertTrue(last > 0.85 && last <= 1.0, "cue " + c + " after 200 trials: " + last);
      assertTrue(curve.at(50) < last, "still rising: " + curve.at(50) + " then " + last);
    }
    for (int c : new int[] {0, 1}) {
      CueValueFigure.CueCurve curve = r.curve("tabular-q", c);
      assertEquals(99, curve.lastTrial(), "cues 0 and 1 are dropped at the switch");
      assertTrue(curve.at(99) > 0.6, "cue " + c + " before the switch: " + curve.at(99));
    }
  }

  @Test
  void newCuesStartAtZeroAtTheSwitchAndThenRise() {
    CueValueFigure.Result r = CueValueFigure.compute(SMALL);
    for (int c : new int[] {4, 5}) {
      CueValueFigure.CueCurve curve = r.curve("tabular-q", c);
      assertEquals(100, curve.firstTrial(), "cues 4 and 5 appear at the switch");
      assertEquals(0.0, curve.at(100), "never seen before the switch");
      assertEquals(0.0, curve.ci95At(100));
      assertTrue(curve.at(110) > 0.05, "rising soon: " + curve.at(110));
      assertTrue(curve.at(199) > 0.6, "learnt by the end: " + curve.at(199));
      assertTrue(curve.at(199) > curve.at(150) && curve.at(150) > curve.at(110), "rising");
      assertTrue(Math.abs(r.curve("latent-q", c).at(100)) < 0.5, "latent: random initial W row, small value");
    }
  }

  @Test
  void latentUpdateFollowsModelsSection3OnAHandComputedStep() {
    // 1 slot, S = 2 cues, A = 2 actions, K = 2 units; observation = one-hot cue (size 2)
    CueQLearners.Latent l = new CueQLearners.Latent(1, 2, 2, 2, 10, 2, 0.5, 5, 0.5, 3, 0);
    l.reset(0);
    // W (S×K) row-major, Q (K×A) row-major
    double[] w = {0.3, -0.2, 0.7, 0.9};
    double[] q = {0.5, 0.4, -0.3, 0.1};
    System.arraycopy(w, 0, l.w, 0, 4);
    System.arraycopy(q, 0, l.qk, 0, 4);
    // z = W[0,:] = (0.3, -0.2); q = z Q = (0.15 + 0.06, 0.12 - 0.02) = (0.21, 0.10)
    assertEquals(0.21, l.value(0, 0, 0), 1e-15);
    assertEquals(0.10, l.value(0, 0, 1), 1e-15);
    int[] action = new int[1];
    l.act(new float[] {1f, 0f}, action);
    action[0] = 1; // the update is tested for a = 1 whatever the softmax chose
    l.observe(action, new float[] {1f}, new boolean[] {false});
    // δ = 1 − 0.10 = 0.9; η δ = 0.45
    // Q[:,1] += 0.45 z       = (0.4 + 0.135, 0.1 − 0.09)   = (0.535, 0.01)
    // W[0,:] += 0.45 Q_old[:,1] = (0.3 + 0.18, −0.2 + 0.045) = (0.48, −0.155)
    assertArrayEquals(new double[] {0.48, -0.155, 0.7, 0.9}, l.w, 1e-15);
    assertArrayEquals(new double[] {0.5, 0.535, -0.3, 0.01}, l.qk, 1e-15);
    // a penalty: δ = −1 − q[0] with the new values, cue 1, action 0
    double delta = -1 - (0.7 * 0.5 + 0.9 * -0.3);
    l.act(new float[] {0f, 1f}, action);
    action[0] = 0;
    l.observe(action, new float[] {-1f}, new boolean[] {false});
    assertArrayEquals(new double[] {0.48, -0.155, 0.7 + 0.5 * delta * 0.5, 0.9 + 0.5 * delta * -0.3}, l.w, 1e-15);
    assertArrayEquals(new double[] {0.5 + 0.5 * delta * 0.7, 0.535, -0.3 + 0.5 * delta * 0.9, 0.01}, l.qk, 1e-15);
  }

  @Test
  void tabularUpdateAndSoftmaxChoice() {
    CueQLearners.Tabular t = new CueQLearners.Tabular(1, 2, 3, 2, 10, 0.25, 5, 3, 0);
    t.reset(0);
    int[] action = new int[1];
    t.act(new float[] {0f, 1f}, action);
    action[0] = 2;
    t.observe(action, new float[] {1f}, new boolean[] {false});
    assertEquals(0.25, t.value(0, 1, 2), 0);
    assertEquals(0.0, t.value(0, 0, 2), 0);
    // softmax(β q) inverted at u: probabilities (e^0, e^5·0.2, e^0)/Σ for q = (0, 0.2, 0), β = 5
    double[] q = {0, 0.2, 0};
    double p0 = 1 / (2 + Math.E);
    assertEquals(0, CueQLearners.softmax(q, 5, p0 - 1e-9));
    assertEquals(1, CueQLearners.softmax(q, 5, p0 + 1e-9));
    assertEquals(2, CueQLearners.softmax(q, 5, 1 - 1e-9));
  }

  @Test
  void sameSeedSameNumbers() {
    CueValueFigure.Options o = new CueValueFigure.Options(40, 60, 0.1, 5, 3, 0.5, 11);
    String a = CueValueFigure.csv(CueValueFigure.compute(o));
    String b = CueValueFigure.csv(CueValueFigure.compute(o));
    assertEquals(a, b);
    String c = CueValueFigure.csv(CueValueFigure.compute(new CueValueFigure.Options(40, 60, 0.1, 5, 3, 0.5, 12)));
    assertNotEquals(a, c, "another seed, other numbers");
  }

  @Test
  void writesDecodablePngsAndTheNumbers(@TempDir Path dir) throws Exception {
    CueValueFigure.Result r = CueValueFigure.compute(new CueValueFigure.Options(30, 40, 0.1, 5, 2, 0.5, 1));
    List<Path> files = CueValueFigure.write(r, dir, 500, 300, Map.of("command", "test command"));
    assertEquals(5, files.size());
    BufferedImage both = ImageIO.read(dir.resolve("cue-values.png").toFile());
    assertNotNull(both);
    assertEquals(500, both.getWidth());
    assertEquals(600, both.getHeight());
    for (String f : new String[] {"cue-values-tabular.png", "cue-values-latent.png"}) {
      BufferedImage img = ImageIO.read(dir.resolve(f).toFile());
      assertNotNull(img, f);
      assertEquals(500, img.getWidth());
      assertEquals(300, img.getHeight());
    }
    List<String> csv = Files.readAllLines(dir.resolve("cue-values.csv"));
    assertEquals("learner,cue,trial,mean,ci95,lower,upper,samples", csv.get(0));
    // per learner: cues 2, 3 on 40 trials, cues 0, 1, 4, 5 on 20 each
    assertEquals(1 + 2 * (2 * 40 + 4 * 20), csv.size());
    assertTrue(csv.contains("tabular-q,4,21,0.0,0.0,0.0,0.0,30"), "new cue at the switch");
    String json = Files.readString(dir.resolve("cue-values.json"));
    assertTrue(json.contains("\"command\" : \"test command\"") && json.contains("\"seed\" : 1"), json);
  }

  private static CliRun run(String... args) {
    return CliRun.plot(args);
  }

  @Test
  void theCommandWritesEveryFileAndRecordsItself(@TempDir Path dir) throws Exception {
    CliRun r = run("cue-values", "--episodes", "20", "--trials", "30", "--latent", "3", "--seed", "5", "--width", "400",
        "--height", "250", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"cue-values.png", "cue-values-tabular.png", "cue-values-latent.png",
        "cue-values.csv", "cue-values.json"}) {
      assertTrue(Files.exists(dir.resolve(f)), f);
      assertTrue(r.out().contains(dir.resolve(f).toString()), r.out());
    }
    String json = Files.readString(dir.resolve("cue-values.json"));
    assertTrue(json.contains("\"command\" : \"neurorl plot cue-values --episodes 20 --trials 30 --latent 3 --seed 5")
        && json.contains("\"latentUnits\" : 3") && json.contains("\"machine\""), json);
    CliRun help = run("cue-values", "--help");
    assertEquals(0, help.code());
    for (String s : new String[] {"--episodes", "default: 300", "--trials", "default: 200", "--eta", "0.1)",
        "--beta", "default: 5.0", "--latent", "default: 2", "--seed", "default: 1", "results/figures"}) {
      assertTrue(help.out().contains(s), s + " in\n" + help.out());
    }
    assertTrue(run("--help").out().contains("cue-values"));
  }

  @Test
  void badOptionsNameTheValueAndWhatIsAllowed(@TempDir Path dir) {
    String[][] cases = {
        {"1", "200", "0.1", "5", "2", "0.5"}, {"episodes = 1; allowed: 2 to 4194304"},
        {"10", "1", "0.1", "5", "2", "0.5"}, {"trials = 1; allowed: 2 to 100000"},
        {"10", "20", "0", "5", "2", "0.5"}, {"eta = 0.0; allowed: a rate in (0, 1]"},
        {"10", "20", "1.5", "5", "2", "0.5"}, {"eta = 1.5; allowed: a rate in (0, 1]"},
        {"10", "20", "0.1", "-1", "2", "0.5"}, {"beta = -1.0; allowed: a finite value > 0"},
        {"10", "20", "0.1", "NaN", "2", "0.5"}, {"beta = NaN; allowed: a finite value > 0"},
        {"10", "20", "0.1", "5", "0", "0.5"}, {"latent = 0; allowed: 1 to 16"},
        {"10", "20", "0.1", "5", "2", "0"}, {"initScale = 0.0; allowed: a finite value > 0"},
    };
    for (int i = 0; i < cases.length; i += 2) {
      String[] v = cases[i];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new CueValueFigure.Options(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Double.parseDouble(v[2]),
              Double.parseDouble(v[3]), Integer.parseInt(v[4]), Double.parseDouble(v[5]), 1));
      assertEquals(cases[i + 1][0], e.getMessage());
    }
    String out = dir.toString();
    String[][] cli = {
        {"cue-values", "--episodes", "1", "--out", out}, {"episodes = 1; allowed: 2 to"},
        {"cue-values", "--eta", "0", "--out", out}, {"eta = 0.0; allowed: a rate in (0, 1]"},
        {"cue-values", "--latent", "99", "--out", out}, {"latent = 99; allowed: 1 to 16"},
        {"cue-values", "--width", "10", "--out", out}, {"width = 10; allowed: 300 to 8000"},
    };
    for (int i = 0; i < cli.length; i += 2) {
      CliRun r = run(cli[i]);
      assertEquals(2, r.code(), String.join(" ", cli[i]) + "\n" + r.out() + r.err());
      assertTrue(r.err().contains(cli[i + 1][0]), r.err());
      assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }
}
