package dev.nabla.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line every example takes: {@code [--quick] [ARG...]}. Quick mode, also switched on by
 * {@code -Dnabla.examples.quick=true}, trains on a few samples for one or two epochs and writes its files to a temporary
 * folder, so that the test suite runs every example in seconds ({@code ExamplesTest}); its accuracies only show that
 * the model learns, not what the example reaches in a real run.
 *
 * @param quick      whether to run small
 * @param positional the other arguments, in order
 */
public record ExampleArgs(boolean quick, List<String> positional) {

    /** The system property that also switches quick mode on. */
    public static final String QUICK_PROPERTY = "nabla.examples.quick";

    public ExampleArgs {
        positional = List.copyOf(positional);
    }

    /** Reads {@code --quick} and the positional arguments. */
    public static ExampleArgs parse(String[] args) {
        boolean quick = Boolean.getBoolean(QUICK_PROPERTY);
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + a + " (the examples take --quick and positional arguments)");
            } else {
                rest.add(a);
            }
        }
        return new ExampleArgs(quick, rest);
    }

    /** The {@code index}-th positional argument as a path, or {@code fallback} when there are fewer. */
    public Path path(int index, String fallback) {
        return Path.of(index < positional.size() ? positional.get(index) : fallback);
    }

    /** {@code full} in a real run, {@code small} in quick mode (sample counts, epochs). */
    public int pick(int full, int small) {
        return quick ? small : full;
    }

    /**
     * Where to write an output file: {@code name} in the working directory, or in quick mode a fresh temporary
     * folder (removed when the JVM exits), so that test runs leave nothing behind.
     */
    public Path output(String name) throws IOException {
        if (!quick) return Path.of(name);
        Path dir = Files.createTempDirectory("nabla-example");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve(name);
        file.toFile().deleteOnExit();
        return file;
    }
}
