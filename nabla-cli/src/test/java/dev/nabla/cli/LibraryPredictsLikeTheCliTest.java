package dev.nabla.cli;

import dev.nabla.data.ImageFolderLoader;
import dev.nabla.data.Preprocessing;
import dev.nabla.io.Json;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Rescaling;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model trained by {@code nabla train} holds its preprocessing: {@code Model.load(file).predict(raw)} on raw CSV
 * values, or on image pixels 0..255, gives exactly what {@code nabla predict --json} prints (values in the target's
 * units, probabilities named by the model's class names), and {@code Model.evaluate} gives {@code nabla evaluate}'s
 * numbers.
 */
class LibraryPredictsLikeTheCliTest {

    @TempDir
    Path dir;

    /** The feature columns of a CSV file as the model takes them: raw values (as float32), in the model's order. */
    static Tensor rawRows(Path csv, List<String> features) throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        float[] x = new float[(lines.size() - 1) * features.size()];
        for (int r = 1; r < lines.size(); r++) {
            String[] fields = lines.get(r).split(",");
            for (int j = 0; j < features.size(); j++) {
                x[(r - 1) * features.size() + j] = (float) Double.parseDouble(fields[header.indexOf(features.get(j))]);
            }
        }
        return Tensor.of(x, lines.size() - 1, features.size());
    }

    static List<Map<String, Object>> predictions(Map<String, Object> json) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object p : Json.asArray(json.get("predictions"), "predictions")) out.add(Json.asObject(p, "prediction"));
        return out;
    }

    /** Every sample's probabilities by class name, as the CLI printed them, against the model's own. */
    static void assertSameProbabilities(List<Map<String, Object>> cli, Model model, Tensor x) {
        float[] p = model.predict(x).toArray();
        List<String> classes = model.classNames();
        assertEquals(cli.size() * classes.size(), p.length);
        for (int i = 0; i < cli.size(); i++) {
            Map<String, Object> probabilities = Json.asObject(cli.get(i).get("probabilities"), "probabilities");
            assertEquals(classes.size(), probabilities.size());
            for (int k = 0; k < classes.size(); k++) {
                Object printed = probabilities.get(classes.get(k));
                assertNotNull(printed, classes.get(k) + " in " + probabilities);
                assertEquals((double) p[i * classes.size() + k], Json.asDouble(printed, "p"), "sample " + i + ", " + classes.get(k));
            }
        }
    }

    @Test
    void aRegressorTakesRawRowsAndGivesValuesInTheTargetsUnits() throws IOException {
        Path prices = CliTestSupport.regressionCsv(dir, "prices.csv", 120, 3);
        Path test = CliTestSupport.regressionCsv(dir, "prices-test.csv", 20, 4);
        Path file = dir.resolve("prices.nabla");
        nabla("train", "--data", prices, "--loss", "mse", "--epochs", 5, "--out", file, "--json").json();
        List<Map<String, Object>> cli = predictions(nabla("predict", "--model", file, test, "--json").json());

        Model model = Model.load(file);
        Sequential network = assertInstanceOf(Sequential.class, model.network());
        assertInstanceOf(Normalization.class, network.layers().get(0), "the features are standardised inside");
        assertNotNull(model.targetScaling(), "the target is de-standardised inside");
        Tensor x = rawRows(test, Preprocessing.of(model).featureNames());
        float[] values = model.predict(x).toArray();
        assertEquals(cli.size(), values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals((double) values[i], Json.asDouble(cli.get(i).get("value"), "value"), "row " + (i + 1));
        }
        assertTrue(values[0] > 200 && values[0] < 2500, "a price, in its units: " + values[0]);

        // evaluate --json reports the model's own loss and MAE (target units)
        Map<String, Object> scores = nabla("evaluate", "--model", file, "--data", test, "--json").json();
        Tensor y = rawRows(test, List.of("price"));
        Map<String, Double> own = model.evaluate(x, y);
        assertEquals(own.get("loss"), Json.asDouble(scores.get("loss"), "loss"));
        assertEquals(own.get("mae"), Json.asDouble(scores.get("mae"), "mae"));
    }

    @Test
    void aClassifierNamesItsClassesAndTakesRawRows() throws IOException {
        Path points = CliTestSupport.classificationCsv(dir, "points.csv", 90, 1, true);
        Path rows = CliTestSupport.classificationCsv(dir, "rows.csv", 9, 5, false);
        Path file = dir.resolve("points.nabla");
        nabla("train", "--data", points, "--label", "species", "--epochs", 8, "--lr", 0.01, "--out", file, "--json").json();
        List<Map<String, Object>> cli = predictions(nabla("predict", "--model", file, rows, "--json").json());

        Model model = Model.load(file);
        assertEquals(List.of("setosa", "versicolor", "virginica"), model.classNames());
        Tensor x = rawRows(rows, Preprocessing.of(model).featureNames());
        assertSameProbabilities(cli, model, x);
        int[] classes = model.predictClasses(x);
        for (int i = 0; i < classes.length; i++) assertEquals(model.classNames().get(classes[i]), cli.get(i).get("label"));
    }

    @Test
    void anImageClassifierTakesPixels0To255() throws IOException {
        Path images = CliTestSupport.imageFolder(dir, "stripes", 10, 2);
        Path file = dir.resolve("stripes.nabla");
        nabla("train", "--data", images, "--arch", "conv:4:3:relu,maxpool,dense:8:relu", "--epochs", 3, "--batch-size", 8,
                "--out", file, "--json").json();
        List<Path> files = List.of(images.resolve("stripes-h/000.png"), images.resolve("stripes-v/003.png"));
        List<Map<String, Object>> cli = predictions(nabla("predict", "--model", file, files.get(0), files.get(1), "--json").json());

        Model model = Model.load(file);
        assertInstanceOf(Rescaling.class, ((Sequential) model.network()).layers().get(0), "pixels are rescaled inside");
        // the images as any decoder gives them: grey values 0..255, [N, channels, height, width]
        float[] pixels = new float[files.size() * 64];
        for (int n = 0; n < files.size(); n++) {
            BufferedImage img = ImageIO.read(files.get(n).toFile());
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) pixels[n * 64 + y * 8 + x] = img.getRaster().getSample(x, y, 0);
        }
        assertSameProbabilities(cli, model, Tensor.of(pixels, files.size(), 1, 8, 8));
        // and as the documented loader reads them for the model
        assertSameProbabilities(cli, model, ImageFolderLoader.loadFiles(files, Preprocessing.of(model)));
    }
}
