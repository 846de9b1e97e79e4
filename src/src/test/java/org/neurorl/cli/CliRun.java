package org.neurorl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * Test utility: one command-line run with System.out and System.err captured (restored afterwards).
 *
 * @param code the exit code the command returned
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
public record CliRun(int code, String out, String err) {

  /** {@code neurorl <args>} through {@link Main#run}. */
  public static CliRun main(String... args) {
    return of(Main::run, args);
  }

  /** {@code neurorl plot <args>} through {@link PlotCommand#run}. */
  public static CliRun plot(String... args) {
    return of(PlotCommand::run, args);
  }

  /** {@code command.applyAsInt(args)} with the standard streams captured. */
  public static CliRun of(ToIntFunction<String[]> command, String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = command.applyAsInt(args);
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
