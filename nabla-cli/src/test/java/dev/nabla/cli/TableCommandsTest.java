package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train, evaluate, predict and info on CSV tables, classification and regression. */
class TableCommandsTest {

    @TempDir
    static Path dir;

    static Path classes;
    static Path classesTest;
    static Path classifier;
    static Map<String, Object> classifierJson;

    static Path prices;
    static Path pricesTest;
    static Path regressor;
    static Map<String, Object> regressorJson;

    @BeforeAll
    static void train() throws Exception {
        classes = CliTestSupport.classificationCsv(dir, "iris.csv", 150, 1, true);
        classesTest = CliTestSupport.classificationCsv(dir, "iris-test.csv", 30, 2, true);
        classifier = dir.resolve("iris.nabla");
        classifierJson = nabla("train", "--data", classes, "--test", classesTest, "--label", "species", "--epochs", 15,
                "--lr", 0.01, "--out", classifier, "--json").json();

        prices = CliTestSupport.regressionCsv(dir, "prices.csv", 200, 3);
        pricesTest = CliTestSupport.regressionCsv(dir, "prices-test.csv", 40, 4);
        regressor = dir.resolve("prices.nabla");
        regressorJson = nabla("train", "--data", prices, "--test", pricesTest, "--loss", "mse", "--epochs", 30,
                "--lr", 0.01, "--val-split", 0.2, "--out", regressor, "--json").json();
    }

    @Test
    void trainClassificationJson() {
        Map<String, Object> j = classifierJson;
        assertEquals(classifier.toString(), j.get("model"));
        assertEquals("classification", j.get("task"));
        assertEquals(List.of("setosa", "versicolor", "virginica"), j.get("classes"));
        List<Object> history = Json.asArray(j.get("history"), "history");
        assertEquals(15, history.size());
        Map<String, Object> last = Json.asObject(history.get(14), "epoch");
        assertEquals(15L, last.get("epoch"));
        for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) assertNotNull(last.get(k), k);
        Map<String, Object> test = Json.asObject(j.get("test"), "test");
        assertEquals(List.of("loss", "accuracy"), List.copyOf(test.keySet()));
        assertTrue(Json.asDouble(test.get("accuracy"), "accuracy") > 0.8, "well separated classes: " + test);
        assertTrue(Json.asDouble(j.get("seconds"), "seconds") > 0);
        assertTrue(Json.asDouble(j.get("samples_per_second"), "samples_per_second") > 0);
        assertTrue(Files.isRegularFile(classifier));
    }

    @Test
    void trainRegressionReportsOriginalUnits() {
        Map<String, Object> j = regressorJson;
        assertEquals("regression", j.get("task"));
        assertEquals(List.of(), j.get("classes"));
        Map<String, Object> last = Json.asObject(Json.asArray(j.get("history"), "history").get(29), "epoch");
        for (String k : List.of("loss", "mae", "val_loss", "val_mae")) assertNotNull(last.get(k), k);
        Map<String, Object> test = Json.asObject(j.get("test"), "test");
        assertEquals(List.of("loss", "mse", "mae", "r2"), List.copyOf(test.keySet()));
        double mae = Json.asDouble(test.get("mae"), "mae");
        double mse = Json.asDouble(test.get("mse"), "mse");
        double loss = Json.asDouble(test.get("loss"), "loss");
        // prices spread over ~1,500 units: errors in those units are far above the standardised loss
        assertTrue(mae > 1 && mae < 300, "mae in price units: " + mae);
        assertTrue(mse > 10 * loss, "mse " + mse + " in price units, loss " + loss + " standardised");
        assertTrue(Json.asDouble(test.get("r2"), "r2") > 0.8, "r2: " + test);
        assertTrue(Json.asDouble(last.get("mae"), "mae") > 1, "history mae in price units too");
    }

    @Test
    void evaluateClassifier() {
        Map<String, Object> j = nabla("evaluate", "--model", classifier, "--data", classesTest, "--json").json();
        assertEquals(List.of("loss", "accuracy", "samples", "auc", "per_class", "confusion_matrix"), List.copyOf(j.keySet()));
        assertEquals(30L, j.get("samples"));
        assertEquals(Json.asObject(classifierJson.get("test"), "test").get("accuracy"), j.get("accuracy"));

        CliTestSupport.Run text = nabla("evaluate", "--model", classifier, "--data", classesTest);
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("accuracy") && text.out().contains("30 samples"), text.out());
    }

    @Test
    void evaluateRegressor() {
        Map<String, Object> j = nabla("evaluate", "--model", regressor, "--data", pricesTest, "--json").json();
        assertEquals(List.of("loss", "mse", "mae", "r2", "samples"), List.copyOf(j.keySet()));
        assertEquals(Json.asObject(regressorJson.get("test"), "test").get("mae"), j.get("mae"));
    }

    @Test
    void predictCsvRows() throws Exception {
        Path rows = CliTestSupport.classificationCsv(dir, "unlabelled.csv", 6, 5, false);
        Map<String, Object> j = nabla("predict", "--model", classifier, rows, "--json").json();
        List<Object> predictions = Json.asArray(j.get("predictions"), "predictions");
        assertEquals(6, predictions.size());
        for (int i = 0; i < 6; i++) {
            Map<String, Object> p = Json.asObject(predictions.get(i), "prediction");
            assertEquals((long) (i + 1), p.get("input"));
            Map<String, Object> probabilities = Json.asObject(p.get("probabilities"), "probabilities");
            assertEquals(3, probabilities.size());
            assertEquals(probabilities.keySet().iterator().next(), p.get("label"), "most likely first");
            double sum = 0;
            for (Object v : probabilities.values()) sum += Json.asDouble(v, "p");
            assertEquals(1, sum, 1e-4);
        }
        // rows cycle through the classes, which are well separated
        assertEquals("setosa", Json.asObject(predictions.get(0), "p").get("label"));
        assertEquals("versicolor", Json.asObject(predictions.get(1), "p").get("label"));
        assertEquals("virginica", Json.asObject(predictions.get(2), "p").get("label"));

        CliTestSupport.Run text = nabla("predict", "--model", classifier, rows, "--top", 2);
        assertEquals(0, text.code(), text.err());
        String[] lines = text.out().strip().split("\\R");
        assertEquals(6, lines.length);
        assertTrue(lines[0].matches("row 1 +setosa +\\d+\\.\\d% +\\w+ +\\d+\\.\\d%"), lines[0]);
    }

    @Test
    void predictRegressionValues() {
        Map<String, Object> j = nabla("predict", "--model", regressor, pricesTest, "--json").json();
        List<Object> predictions = Json.asArray(j.get("predictions"), "predictions");
        assertEquals(40, predictions.size());
        Map<String, Object> first = Json.asObject(predictions.get(0), "prediction");
        assertEquals(List.of("input", "value"), List.copyOf(first.keySet()));
        double value = Json.asDouble(first.get("value"), "value");
        assertTrue(value > 200 && value < 2500, "a price in its units: " + value);
    }

    @Test
    void infoShowsSummaryAndTraining() {
        CliTestSupport.Run r = nabla("info", "--model", classifier);
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("classification", "setosa", "Total params", "dense", "adam", "Epochs trained:  15", "accuracy")) {
            assertTrue(r.out().contains(s), () -> s + " missing in:\n" + r.out());
        }
        Map<String, Object> j = nabla("info", "--model", regressor, "--json").json();
        assertEquals("regression", j.get("task"));
        assertEquals(30L, j.get("epochs"));
        assertEquals("price", j.get("label"));
    }

    @Test
    void binaryCrossEntropyAndTextOutput() throws Exception {
        StringBuilder sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 60; i++) {
            double x = (i % 2 == 0 ? 1 : -1) * (1 + (i % 7) * 0.1);
            sb.append(x).append(',').append(i * 0.01).append(',').append(i % 2 == 0 ? "yes" : "no").append('\n');
        }
        Path csv = Files.writeString(dir.resolve("binary.csv"), sb);
        Path out = dir.resolve("binary.nabla");
        int threads = dev.nabla.kernel.Parallel.threads();
        CliTestSupport.Run r;
        try {
            r = nabla("train", "--data", csv, "--loss", "binary-cross-entropy", "--epochs", 3, "--val-split", 0,
                    "--optimizer", "sgd", "--batch-size", 8, "--threads", 1, "--out", out);
        } finally {
            dev.nabla.kernel.Parallel.setThreads(threads);
        }
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch") && r.out().contains("saved: " + out), r.out());
        assertFalse(r.out().contains("val_loss"), "no validation with --val-split 0");
        assertTrue(r.err().contains("Epoch 3/3"), r.err());
        Map<String, Object> j = nabla("predict", "--model", out, csv, "--json").json();
        Map<String, Object> first = Json.asObject(Json.asArray(j.get("predictions"), "p").get(0), "p");
        assertEquals(2, Json.asObject(first.get("probabilities"), "probabilities").size());
        assertNull(j.get("test"));
    }
}
