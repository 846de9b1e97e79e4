package org.neurorl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code neurorl} command line. */
@Command(name = "neurorl", mixinStandardHelpOptions = true, version = "neurorl 0.1.0",
    description = "Fast, validated neuroscience-inspired reinforcement-learning models on CPUs.",
    subcommands = {SimulateCommand.class, TrainCommand.class, Figure1Command.class, FitCommand.class,
        PlotCommand.class, DraCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // Bad input and numerical blow-ups are the user's to fix: one clear line, no stack trace.
      if (e instanceof IllegalArgumentException || e instanceof ArithmeticException
          || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
        cmd.getErr().println("neurorl " + cmd.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
