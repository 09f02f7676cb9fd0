package dev.nabla.cli;

import dev.nabla.data.ImageFolderLoader;
import dev.nabla.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code nabla demo}: trains the default image network on a small slice of Fashion-MNIST shipped inside the jar
 * (3,000 training and 500 test images, 28x28 grey, 10 classes), offline, through the same code as {@code train}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a small convolutional network on 3,000 Fashion-MNIST images shipped with Nabla "
                + "(offline), evaluates it on 500 test images, shows predictions for a few of them and draws the "
                + "training curves. Same code path as: nabla train --data DIR/train --test DIR/test",
                "Fashion-MNIST: Copyright (c) 2017 Zalando SE, MIT licence."})
final class DemoCommand implements Callable<Integer> {

    static final String RESOURCE = "/demo/fashion-demo.zip";
    static final int DEFAULT_EPOCHS = 8;

    private final Io io;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + DEFAULT_EPOCHS,
            description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the computation (default: all cores; at most 8 per core or 64, whichever is more).")
    Integer threads;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "demo-model.nabla",
            description = "Where to save the trained model (default: ${DEFAULT-VALUE} in the current folder).")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE", defaultValue = "demo-plot.png",
            description = "Training curves, .png or .svg (default: ${DEFAULT-VALUE} in the current folder).")
    Path plot;

    @Option(names = "--json", description = "Print one JSON object (as train does, plus predictions) on the last line of stdout.")
    boolean json;

    DemoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        Path dir = Files.createTempDirectory("nabla-demo");
        try {
            int files = extract(dir);
            io.err().println("Demo: " + files + " Fashion-MNIST images (c) Zalando SE, MIT licence, unpacked to " + dir);
            Training.Result r = Training.run(new Training.Settings(dir.resolve("train"), dir.resolve("test"), null, null, null,
                    "adam", null, epochs, 32, 0.1, seed, null, null, out, plot, "Fashion-MNIST demo", json), io);

            // a few test images, one each of different classes, with what the model thinks they are
            List<Path> samples = samples(dir.resolve("test"), 6);
            Tensor x = ImageFolderLoader.loadFiles(samples, r.preprocessing());
            List<Object> names = new ArrayList<>();
            for (Path f : samples) names.add(dir.relativize(f).toString());
            List<Predictions.Prediction> predictions = Predictions.predict(r.model(), x, names, r.task());

            if (json) {
                Map<String, Object> j = Reports.trainJson(r);
                List<Object> pj = Predictions.json(predictions, 3);
                for (int i = 0; i < pj.size(); i++) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = (Map<String, Object>) pj.get(i);
                    entry.put("true_label", samples.get(i).getParent().getFileName().toString());
                }
                j.put("predictions", pj);
                Reports.printJson(io.out(), j);
            } else {
                Reports.printTraining(io.out(), r);
                io.out().println();
                io.out().println("Predictions for a few test images (true class in the path, 3 most likely classes):");
                Predictions.print(io.out(), predictions, 3);
                io.out().println();
                io.out().println("Next: nabla info --model " + r.out() + "   (the plot is " + r.plot().toAbsolutePath() + ")");
            }
            return 0;
        } catch (Interruption.Stopped stopped) {
            return Interruption.EXIT_STATUS;   // Ctrl-C: the model so far was saved and the message printed
        } finally {
            deleteTree(dir);
        }
    }

    /** Unpacks the demo images; returns how many files it wrote. */
    private static int extract(Path dir) throws IOException {
        InputStream raw = DemoCommand.class.getResourceAsStream(RESOURCE);
        if (raw == null) throw new IllegalStateException("the demo data " + RESOURCE + " is missing from the jar");
        int count = 0;
        Path root = dir.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) throw new IllegalStateException("bad entry in the demo data: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(zip, target);
                count++;
            }
        }
        return count;
    }

    /** The first image of each of the first {@code n} class folders taken at steps through the sorted classes. */
    private static List<Path> samples(Path testDir, int n) throws IOException {
        List<Path> classes;
        try (Stream<Path> s = Files.list(testDir)) {
            classes = s.filter(Files::isDirectory).sorted().toList();
        }
        List<Path> out = new ArrayList<>();
        int step = Math.max(1, classes.size() / n);
        for (int i = 0; i < classes.size() && out.size() < n; i += step) {
            List<Path> images = ImageFolderLoader.listImages(classes.get(i));
            if (!images.isEmpty()) out.add(images.get(0));
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

}
