package dev.nabla.cli;

import java.io.PrintStream;

/**
 * Entry point of the {@code nabla} command. For now it offers {@code demo}, which trains a small network on
 * generated data; {@code train}, {@code evaluate} and {@code predict} arrive with the data pipeline.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        String command = args[0];
        if (command.equals("demo")) {
            return SpiralDemo.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        err.println("error: unknown command '" + command + "' (try: nabla --help)");
        return 2;
    }

    static String usage() {
        return """
                Usage: nabla <command> [options]

                Commands:
                  demo [--epochs N] [--seed N]   train a small network on generated data (two interleaved spirals)
                                                 and report its accuracy

                Coming next: train, evaluate, predict, info (see the project's issues).
                """;
    }
}
