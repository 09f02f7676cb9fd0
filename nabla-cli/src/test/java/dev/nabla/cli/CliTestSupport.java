package dev.nabla.cli;

import dev.nabla.io.Json;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the command line in-process and makes small data sets for it. */
final class CliTestSupport {

    private CliTestSupport() {
    }

    record Run(int code, String out, String err) {

        /** The last non-empty line of stdout. */
        String lastLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1];
        }

        /** Stdout as the single JSON object it must be. */
        Map<String, Object> json() {
            assertEquals(0, code, () -> "exit status; stderr:\n" + err);
            String[] lines = out.strip().split("\\R");
            assertEquals(1, lines.length, () -> "--json prints exactly one line on stdout, got:\n" + out);
            return Json.asObject(Json.parse(lastLine()), "stdout");
        }

        /** Asserts a usage error: exit 2, stderr is one line starting with "error:" and containing every word. */
        void assertUsageError(String... mentions) {
            assertEquals(1, err.strip().split("\\R").length, () -> "one error line, got:\n" + err);
            assertUsageErrorAfterProgress(mentions);
        }

        /**
         * As {@link #assertUsageError}, for errors during training: progress lines may come first, then exactly one
         * "error:" line, the last, and no stack trace.
         */
        void assertUsageErrorAfterProgress(String... mentions) {
            assertEquals(2, code, () -> "exit status; stderr:\n" + err + "\nstdout:\n" + out);
            String[] lines = err.strip().split("\\R");
            String last = lines[lines.length - 1];
            assertTrue(last.startsWith("error: "), last);
            assertFalse(last.startsWith("error: internal error"), last);
            assertEquals(1, java.util.Arrays.stream(lines).filter(l -> l.startsWith("error:")).count(), err);
            assertFalse(err.contains("\tat "), "no stack trace");
            for (String m : mentions) assertTrue(last.contains(m), () -> "'" + m + "' not in: " + last);
            assertEquals("", out, "nothing on stdout after an error");
        }
    }

    static Run nabla(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) a[i] = args[i].toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(a, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Three classes of points around three centres, 4 features, a string label column "species" in the middle. */
    static Path classificationCsv(Path dir, String name, int rows, long seed, boolean withLabel) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] classes = {"setosa", "versicolor", "virginica"};
        StringBuilder sb = new StringBuilder(withLabel ? "a,b,species,c,d\n" : "a,b,c,d\n");
        for (int i = 0; i < rows; i++) {
            int k = i % 3;
            double[] f = new double[4];
            for (int j = 0; j < 4; j++) f[j] = 3 * k + (j + 1) * 0.5 * k + rng.nextGaussian() * 0.5 + 10 * j;
            sb.append(fmt(f[0])).append(',').append(fmt(f[1])).append(',');
            if (withLabel) sb.append(classes[k]).append(',');
            sb.append(fmt(f[2])).append(',').append(fmt(f[3])).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb);
        return file;
    }

    /** price = 300 * rooms + 2 * area + noise, around 1,500; label column "price" last. */
    static Path regressionCsv(Path dir, String name, int rows, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("rooms,area,price\n");
        for (int i = 0; i < rows; i++) {
            double rooms = 1 + rng.nextInt(5);
            double area = 20 + rng.nextDouble() * 180;
            double price = 300 * rooms + 2 * area + rng.nextGaussian() * 10;
            sb.append(fmt(rooms)).append(',').append(fmt(area)).append(',').append(fmt(price)).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb);
        return file;
    }

    /** Two classes of 8x8 grey images: horizontal ("stripes-h") and vertical ("stripes-v") stripes with noise. */
    static Path imageFolder(Path dir, String name, int perClass, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        Path root = dir.resolve(name);
        for (String cls : List.of("stripes-h", "stripes-v")) {
            Path classDir = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                int phase = rng.nextInt(2);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int line = cls.equals("stripes-h") ? y : x;
                        int v = ((line + phase) % 2 == 0 ? 200 : 40) + rng.nextInt(40) - 20;
                        img.getRaster().setSample(x, y, 0, v);
                    }
                }
                ImageIO.write(img, "png", classDir.resolve(String.format(Locale.ROOT, "%03d.png", i)).toFile());
            }
        }
        return root;
    }

    static List<Path> files(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
