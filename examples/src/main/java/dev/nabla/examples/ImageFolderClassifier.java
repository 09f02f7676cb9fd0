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

/**
 * The cats-vs-dogs workflow: a folder with one sub-folder of images per class ({@code pets/cat/*.jpg},
 * {@code pets/dog/*.jpg}) becomes a trained CNN that says "cat 75%, dog 25%" for a new picture.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.ImageFolderClassifier pets [image-to-classify.jpg]}.
 */
public final class ImageFolderClassifier {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ImageFolderClassifier IMAGE_FOLDER [IMAGE...]");
            System.exit(2);
        }
        LoadedData all = ImageFolderLoader.load(Path.of(args[0]), new int[]{64, 64});
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
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.metadata().put("preprocessing", all.preprocessing().toMap());
        model.fit(split.train().x(), split.train().y(), new FitOptions().epochs(20).batchSize(32).seed(1)
                .validationData(split.validation().x(), split.validation().y())
                .trainTransform(new ImageAugmentation(true, 4))
                .callbacks(new EarlyStopping("val_loss", 3, 0, true), new ProgressReporter(System.out, false)));
        model.save(Path.of("pets.nabla"));

        for (int i = 1; i < args.length; i++) {
            Tensor image = ImageFolderLoader.loadFiles(List.of(Path.of(args[i])), all.preprocessing());
            float[] p = model.predict(image).toArray();
            StringBuilder line = new StringBuilder(args[i]).append(":");
            for (int c = 0; c < classes.size(); c++) {
                line.append(String.format(Locale.ROOT, "  %s %.1f%%", classes.get(c), 100 * p[c]));
            }
            System.out.println(line);
        }
    }
}
