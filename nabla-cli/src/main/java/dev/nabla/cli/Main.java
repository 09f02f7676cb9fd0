package dev.nabla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.concurrent.Callable;

/**
 * The {@code nabla} command: train, evaluate, predict, demo, info and datasets, each a picocli subcommand in its own
 * class. {@link #run} is the whole program without {@code System.exit}, for tests.
 *
 * <p>Exit status: 0 success, 2 bad input or usage (one {@code error:} line on stderr naming the flag or file), 1 an
 * internal error ({@code error: internal error: ...}; the stack trace with {@code NABLA_DEBUG=1}).
 */
@Command(name = "nabla",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Trains neural networks on CSV tables and image folders, evaluates them and predicts with them.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ServeCommand.class, DashboardCommand.class, DemoCommand.class,
                InfoCommand.class, ExportCommand.class, DatasetsCommand.class, CommandLine.HelpCommand.class},
        footer = {"",
                "Examples:",
                "  nabla demo",
                "  nabla train --data iris.csv --label species --epochs 50 --plot curves.png",
                "  nabla train --data images/train --test images/test --image-size 28x28 --out cnn.nabla",
                "  nabla train --data images/train --arch @resnet.json --out resnet.nabla",
                "  nabla train --data images/train --model cnn.nabla --epochs 5 --out cnn.nabla",
                "  nabla evaluate --model cnn.nabla --data images/test",
                "  nabla predict --model cnn.nabla photo1.png photo2.png --top 3",
                "  nabla serve --model iris.nabla --port 8080",
                "  nabla train --data iris.csv --dashboard          (live at http://127.0.0.1:8050/)",
                "  nabla dashboard runs                             (the recorded runs, to compare)",
                "  nabla export --model cnn.nabla --out cnn.onnx",
                "  nabla datasets download mnist --dir data/mnist",
                "",
                "Add --json to train, evaluate, predict, demo or info for one JSON object on the last line of stdout.",
                "Exit status: 0 success, 2 bad input or usage, 1 internal error (NABLA_DEBUG=1 shows stack traces)."})
public final class Main implements Callable<Integer> {

    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Main(Io io) {
        this.io = io;
    }

    public static void main(String[] args) {
        KernelPreload.start(args);
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs one command line; returns its exit status. Output goes to {@code out}, progress and errors to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // charts are drawn off screen; never try to reach a display
        System.setProperty("java.awt.headless", "true");
        Io io = new Io(out, err);
        boolean json = JsonErrors.wanted(args);
        try {
            CommandLine cl = commandLine(io, json);
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            return JsonErrors.report(e, io, json);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(Io io) {
        return commandLine(io, false);
    }

    static CommandLine commandLine(Io io, boolean json) {
        CommandLine cl = new CommandLine(new Main(io), new Factory(io));
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(100);
        // "--arch @arch.json" names an architecture file for us to read, not a file of arguments for picocli to splice in
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, args) -> {
            String line = "error: " + Suggestions.message(ex, args) + " (see: "
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)";
            io.err().println(line);
            if (json) JsonErrors.print(io, line, Errors.USAGE);
            return Errors.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, command, parseResult) -> JsonErrors.report(ex, io, json));
        return cl;
    }

    /** Plain {@code nabla}: the usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(io.out());
        return 0;
    }

    /** Creates the subcommands with the streams of this run. */
    private record Factory(Io io) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(Io.class);
                return c.newInstance(io);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"nabla " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
