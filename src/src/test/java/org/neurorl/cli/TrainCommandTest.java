package org.neurorl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.train.A2cTrainer;
import org.neurorl.train.ParameterExport;

class TrainCommandTest {
  private static CliRun run(String... args) {
    return CliRun.main(args);
  }

  private static final String[] SMALL = {"train", "--hidden", "4", "--trials", "10", "--batch", "4", "--episodes", "24",
      "--checkpoint-every", "2", "--no-progress"};

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(SMALL, SMALL.length + more.length);
    System.arraycopy(more, 0, all, SMALL.length, more.length);
    return all;
  }

  @Test
  void trainWritesEverythingAndRepeatsFromItsOwnJson(@TempDir Path dir) throws Exception {
    CliRun r = run(with("--out", dir.resolve("a").toString(), "--value-bias", "5"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("done after 6 of 6 updates"), r.out());
    for (String f : new String[] {A2cTrainer.CHECKPOINT, A2cTrainer.CURVE, "training.json",
        A2cTrainer.PARAMETERS + "/manifest.json", A2cTrainer.PARAMETERS + "/Wh.npy"}) {
      assertTrue(Files.exists(dir.resolve("a").resolve(f)), f);
    }
    CliRun again = run("train", "--spec", dir.resolve("a/training.json").toString(), "--out",
        dir.resolve("b").toString(), "--threads", "1", "--no-progress");
    assertEquals(0, again.code(), again.err());
    assertArrayEquals(ParameterExport.read(dir.resolve("a/parameters")).parameters(),
        ParameterExport.read(dir.resolve("b/parameters")).parameters());
    assertEquals(5f, ParameterExport.read(dir.resolve("b/parameters")).config().initialValueBias(),
        "--value-bias travels through training.json");
    CliRun refused = run(with("--out", dir.resolve("a").toString()));
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("already holds a checkpoint; add --resume"), refused.err());
    CliRun resumedDone = run("train", "--resume", "--out", dir.resolve("a").toString(), "--no-progress");
    assertEquals(0, resumedDone.code(), resumedDone.err());
    assertTrue(resumedDone.out().contains("resuming") && resumedDone.out().contains("done after 6 of 6"),
        resumedDone.out());
  }

  @Test
  void aPartialSpecKeepsTheOtherDefaults(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, "{\"network\": \"plastic\", \"hidden\": 3, \"trials\": 5, \"batch\": 2,"
        + " \"episodes\": 4, \"optimizer\": \"rmsprop\"}");
    CliRun r = run("train", "--spec", spec.toString(), "--out", dir.resolve("p").toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    ParameterExport.Loaded loaded = ParameterExport.read(dir.resolve("p/parameters"));
    assertEquals("plastic", loaded.network());
    assertEquals(0.9f, loaded.config().gamma());
    assertEquals("rmsprop", loaded.config().optimizer());
    assertEquals(null, loaded.config().initialValueBias(), "a spec without the field: the network's own bv");
    Files.writeString(spec, "{\"hiden\": 3}");
    CliRun typo = run("train", "--spec", spec.toString(), "--out", dir.resolve("q").toString());
    assertEquals(2, typo.code());
    assertTrue(typo.err().contains("hiden"), typo.err());
  }

  @Test
  void badOptionsGetOneClearLine(@TempDir Path dir) throws Exception {
    CliRun bad = run("train", "--optimizer", "sgd", "--out", dir.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("optimizer = sgd; allowed: adam, rmsprop"), bad.err());
    CliRun nanBias = run("train", "--value-bias", "NaN", "--out", dir.toString());
    assertEquals(2, nanBias.code());
    assertTrue(nanBias.err().contains("initialValueBias (--value-bias) = NaN; allowed: a finite number"), nanBias.err());
    CliRun diverged = run(with("--lr", "3e38", "--out", dir.resolve("d").toString()));
    assertEquals(2, diverged.code());
    assertTrue(diverged.err().contains("training diverged at update 1"), diverged.err());
    assertTrue(Files.readString(dir.resolve("d/training.json")).contains("\"diverged\" : \"training diverged at update 1"),
        "training.json records the divergence");
    CliRun noCheckpoint = run("train", "--resume", "--out", dir.resolve("none").toString());
    assertEquals(2, noCheckpoint.code());
    assertTrue(noCheckpoint.err().contains("no checkpoint"), noCheckpoint.err());
    CliRun clash = run("train", "--spec", "x.json", "--lr", "0.1", "--out", dir.toString());
    assertEquals(2, clash.code());
    assertTrue(clash.err().contains("remove [--lr]"), clash.err());
    CliRun help = run("train", "--help");
    assertTrue(help.out().contains("(default: 7.0E-4)") && help.out().contains("(default: 0.9)"), help.out());
  }
}
