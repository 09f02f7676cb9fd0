package dev.nabla.bench;

import dev.nabla.data.ImageFolderDataset;
import dev.nabla.data.LoadedData;
import dev.nabla.dataset.Batch;
import dev.nabla.dataset.DataLoader;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Rescaling;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.train.Callback;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.TrainingContext;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code loader}: whether the streaming image loader keeps up with training. The bench writes an image folder (2
 * classes, {@code -Dnabla.bench.loader.images} JPEGs of 64x64 colour pixels in all, default 2,000: photo-like noise
 * over a gradient), then measures, each as the better of 2 epochs:
 * <ul>
 *   <li>{@code decode_images_per_s}: batches of 64 decoded by a {@link DataLoader} over an {@link ImageFolderDataset}
 *   with {@code threads} workers, nothing else running;</li>
 *   <li>{@code train_in_memory_samples_per_s}: the command line's default image network (two 3x3 convolutions with
 *   ReLU and max-pooling, dense 64, dense 2; Adam, batch 64) trained on the folder loaded whole;</li>
 *   <li>{@code train_streamed_samples_per_s}: the same training fed by the streaming loader (its workers share the
 *   cores with the training step).</li>
 * </ul>
 * The loader is not the bottleneck while decoding runs well ahead of the training step and the streamed rate is near
 * the in-memory one.
 */
public final class LoaderWorkload implements Workload {

    private static final int SIDE = 64;
    private static final int BATCH = 64;

    @Override
    public String name() {
        return "loader";
    }

    @Override
    public List<String> run(int threads) throws Exception {
        int images = Integer.getInteger("nabla.bench.loader.images", 2000);
        Path folder = Files.createTempDirectory("nabla-bench-loader");
        try {
            writeFolder(folder, images);
            ImageFolderDataset data = ImageFolderDataset.open(folder, null, 255);

            double decode = 0;
            DataLoader.Options options = DataLoader.Options.of(BATCH).seed(1).workers(threads).prefetch(2 * threads);
            try (DataLoader loader = DataLoader.of(data, options)) {
                for (int epoch = 1; epoch <= 2; epoch++) {
                    long start = System.nanoTime();
                    int seen = 0;
                    try (DataLoader.Batches batches = loader.epoch(epoch)) {
                        for (Batch b = batches.next(); b != null; b = batches.next()) seen += b.samples();
                    }
                    decode = Math.max(decode, seen / ((System.nanoTime() - start) / 1e9));
                }
            }
            System.err.printf("bench: loader decodes %.0f images/s on %d workers%n", decode, threads);

            LoadedData whole = data.loadAll();
            Best inMemory = new Best();
            model().fit(whole.x(), whole.y(), new FitOptions().epochs(2).batchSize(BATCH).seed(1).callbacks(inMemory));
            System.err.printf("bench: training on the folder in memory: %.0f samples/s%n", images / inMemory.seconds);
            Best streamed = new Best();
            model().fit(data, new FitOptions().epochs(2).batchSize(BATCH).seed(1).workers(threads).callbacks(streamed));
            System.err.printf("bench: training fed by the loader: %.0f samples/s%n", images / streamed.seconds);

            ResultLine result = result(threads).put("images", images).put("image_shape", List.of(3, SIDE, SIDE))
                    .put("batch_size", BATCH)
                    .put("decode_images_per_s", Timing.round(decode, 1))
                    .put("train_in_memory_samples_per_s", Timing.round(images / inMemory.seconds, 1))
                    .put("train_streamed_samples_per_s", Timing.round(images / streamed.seconds, 1));
            return List.of(PeakRss.addTo(result).toString());
        } finally {
            try (Stream<Path> s = Files.walk(folder)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** The command line's default image network for 64x64 RGB, pixels 0..255 rescaled inside. */
    private static Model model() {
        Sequential net = new Sequential(new Rescaling(1 / 255.0, 0),
                new Conv2D(16, 3, Activation.RELU), new MaxPool2D(2),
                new Conv2D(32, 3, Activation.RELU), new MaxPool2D(2),
                new Flatten(), new Dense(64, Activation.RELU), new Dense(2)).seed(Long.getLong("nabla.bench.seed", 42));
        return new Model(net).compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy());
    }

    /** The shortest epoch. */
    private static final class Best implements Callback {
        double seconds = Double.MAX_VALUE;
        long start;

        @Override
        public void onEpochBegin(int epoch, TrainingContext context) {
            start = System.nanoTime();
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
            seconds = Math.min(seconds, (System.nanoTime() - start) / 1e9);
        }
    }

    private static void writeFolder(Path root, int images) throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        List<String> classes = List.of("cool", "warm");
        for (String c : classes) Files.createDirectories(root.resolve(c));
        for (int i = 0; i < images; i++) {
            boolean warm = i % 2 == 1;
            BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int g = (x + y) * 2 + rng.nextInt(40);
                    int r = Math.min(255, (warm ? 120 : 40) + g / 2 + rng.nextInt(30));
                    int b = Math.min(255, (warm ? 40 : 120) + g / 2 + rng.nextInt(30));
                    img.setRGB(x, y, r << 16 | Math.min(255, g) << 8 | b);
                }
            }
            ImageIO.write(img, "jpeg", root.resolve(classes.get(warm ? 1 : 0)).resolve(i + ".jpg").toFile());
        }
    }
}
