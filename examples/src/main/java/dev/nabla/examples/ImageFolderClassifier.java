package dev.nabla.examples;

import dev.nabla.data.ImageAugmentation;
import dev.nabla.data.ImageFolderLoader;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Split;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cats-vs-dogs workflow: a folder with one sub-folder of images per class ({@code pets/cat/*.jpg},
 * {@code pets/dog/*.jpg}) becomes a trained CNN, saved with its class names as {@code pets.nabla}, that says
 * "cat 75%, dog 25%" for a new picture.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.ImageFolderClassifier [--quick] pets [image-to-classify.jpg...]}
 * ({@code --quick}: at most 3 epochs of batches of 8, the model file in a temporary folder).
 */
public final class ImageFolderClassifier {

    private ImageFolderClassifier() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Trains, prints the predictions for the given images and returns the validation metrics. */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        if (options.positional().isEmpty()) throw new IllegalArgumentException("usage: ImageFolderClassifier [--quick] IMAGE_FOLDER [IMAGE...]");
        LoadedData all = ImageFolderLoader.load(options.path(0, null), new int[]{64, 64});
        // hold out 20% (shuffled: the folder lists one class after the other) to watch for overfitting
        Split split = Split.of(all, 0.2, 1, false);
        List<String> classes = all.preprocessing().classes();

        Sequential network = new Sequential(
                new Conv2D(16, 3, 1, Conv2D.same(3), Activation.RELU), new MaxPool2D(2),
                new Conv2D(32, 3, 1, Conv2D.same(3), Activation.RELU), new MaxPool2D(2),
                new Conv2D(64, 3, 1, Conv2D.same(3), Activation.RELU), new MaxPool2D(2),
                new Flatten(),
                new Dense(64, Activation.RELU),
                new Dense(classes.size())).seed(1);
        // the class names travel in the model file: whoever loads it can name its predictions
        Model model = new Model(network).classNames(classes);
        model.compile(params -> new Adam(params, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.metadata().put("preprocessing", all.preprocessing().toMap());
        model.fit(split.train().x(), split.train().y(), new FitOptions().epochs(options.pick(20, 3)).batchSize(options.pick(32, 8)).seed(1)
                .validationData(split.validation().x(), split.validation().y())
                .trainTransform(new ImageAugmentation(true, 4))
                .callbacks(new EarlyStopping("val_loss", 3, 0, true), new ProgressReporter(System.out, false)));
        Map<String, Double> validation = model.evaluate(split.validation().x(), split.validation().y());
        System.out.println("validation: " + validation);
        Path file = options.output("pets.nabla");
        model.save(file);

        Model loaded = Model.load(file);
        for (int i = 1; i < options.positional().size(); i++) {
            Path imageFile = options.path(i, null);
            Tensor image = ImageFolderLoader.loadFiles(List.of(imageFile), all.preprocessing());
            float[] p = loaded.predict(image).toArray();
            StringBuilder line = new StringBuilder(imageFile.toString()).append(":");
            for (int c = 0; c < p.length; c++) {
                line.append(String.format(Locale.ROOT, "  %s %.1f%%", loaded.classNames().get(c), 100 * p[c]));
            }
            System.out.println(line);
        }
        return validation;
    }
}
