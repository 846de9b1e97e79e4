package org.neurorl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Figure1CommandTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String[] tiny(Path dir, String... extra) {
    String[] base = {"figure1", "--networks", "lstm", "--tasks", "correlated", "--hidden", "4", "--episodes", "8",
        "--batch", "4", "--eval-episodes", "20", "--rows", "3", "--threads", "1", "--out", dir.toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void aTinyRunWritesEveryFileAndASecondCallReusesTheFinishedTraining(@TempDir Path dir) throws Exception {
    Run r = run(tiny(dir));
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"figure1.json", "README.md", "regret-correlated.png", "regret-correlated.csv",
        "heatmap-lstm-correlated.png", "heatmap-bayes-optimal-correlated.png", "pca-lstm-correlated.png",
        "training-curves.png", "train/lstm-correlated/checkpoint.bin",
        "train/lstm-correlated/parameters/manifest.json"}) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
    }
    String json = Files.readString(dir.resolve("figure1.json"));
    assertTrue(json.contains("\"regretAtLastTrial\"") && json.contains("\"varianceExplained\"")
        && json.contains("\"wallClockSeconds\"") && json.contains("\"machine\""), json);
    String first = Files.readString(dir.resolve("regret-correlated.csv"));
    Run again = run(tiny(dir));
    assertEquals(0, again.code(), again.err());
    assertTrue(!again.out().contains("training lstm-correlated"), "finished training is not redone: " + again.out());
    String clock = Files.readString(dir.resolve("train/lstm-correlated/wallclock.json"));
    assertTrue(clock.contains("\"calls\" : 1"), "loading a finished run is not a training call: " + clock);
    assertTrue(Files.readString(dir.resolve("figure1.json")).contains("\"reproductionSeconds\""));
    assertEquals(first, Files.readString(dir.resolve("regret-correlated.csv")), "same parameters, same numbers");
    Path checkpoint = dir.resolve("train/lstm-correlated/checkpoint.bin");
    org.neurorl.train.Checkpoint cp = org.neurorl.train.Checkpoint.read(checkpoint);
    assertEquals(5f, cp.config().initialValueBias(), "--value-bias travels in the config");
    assertEquals(2, run(tiny(dir, "--value-bias", "4")).code(), "another value bias is another run");
    // a checkpoint written before A2cConfig had initialValueBias (null there) still continues
    new org.neurorl.train.Checkpoint(cp.config().withInitialValueBias(null), cp.network(), cp.updates(),
        cp.parameters(), cp.optimizer(), cp.curve()).write(checkpoint);
    Run legacy = run(tiny(dir));
    assertEquals(0, legacy.code(), legacy.err());
    assertEquals(first, Files.readString(dir.resolve("regret-correlated.csv")), "the old checkpoint's parameters");
    // a checkpoint from other options is refused, not silently mixed
    Run other = run(tiny(dir, "--lr", "0.01"));
    assertEquals(2, other.code());
    assertTrue(other.err().contains("checkpoint"), other.err());
  }

  @Test
  void badOptionsGiveOneClearLine(@TempDir Path dir) {
    String[][] bad = {
        {"figure1", "--episodes", "33", "--batch", "32", "--out", dir.toString()},
        {"figure1", "--networks", "gru", "--out", dir.toString()},
        {"figure1", "--tasks", "fixed", "--out", dir.toString()},
        {"figure1", "--lr", "-1", "--out", dir.toString()},
        {"figure1", "--optimizer", "sgd", "--out", dir.toString()},
        {"figure1", "--rows", "1", "--out", dir.toString()}};
    String[] named = {"episodes", "network", "task", "learningRate", "optimizer", "rows"};
    for (int i = 0; i < bad.length; i++) {
      Run r = run(bad[i]);
      assertEquals(2, r.code(), String.join(" ", bad[i]) + ": " + r.err());
      assertTrue(r.err().contains(named[i]), "should name " + named[i] + ": " + r.err());
    }
  }
}
