package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla evaluate}'s AUC, per-class precision, recall, F1 and support and confusion matrix, against the same
 * quantities counted here from the probabilities that {@code predict --json} prints (AUC by counting pairs, not by
 * ranks as the library does), for a 3-class and a binary model; where the AUC is undefined; class names escaped.
 */
class EvaluateReportTest {

    @TempDir
    static Path dir;

    static Path iris;
    static Path irisTest;
    static Path irisModel;

    @BeforeAll
    static void train() throws Exception {
        iris = CliTestSupport.classificationCsv(dir, "iris.csv", 90, 11, true);
        // noisier test rows, so that the classes overlap and the scores are not all perfect
        StringBuilder sb = new StringBuilder("a,b,species,c,d\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 30; i++) {
            int k = i % 3;
            double[] f = new double[4];
            for (int j = 0; j < 4; j++) f[j] = 3 * k + (j + 1) * 0.5 * k + rng.nextGaussian() * 3 + 10 * j;
            sb.append(f[0]).append(',').append(f[1]).append(',').append(names[k]).append(',').append(f[2]).append(',').append(f[3]).append('\n');
        }
        irisTest = Files.writeString(dir.resolve("iris-test.csv"), sb);
        irisModel = dir.resolve("iris.nabla");
        CliTestSupport.Run r = nabla("train", "--data", iris, "--label", "species", "--epochs", 5, "--lr", 0.01,
                "--out", irisModel, "--json");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void multiclassReportMatchesCountsFromThePredictions() throws Exception {
        Map<String, Object> j = nabla("evaluate", "--model", irisModel, "--data", irisTest, "--json").json();
        assertEquals(List.of("loss", "accuracy", "samples", "auc", "per_class", "confusion_matrix"), List.copyOf(j.keySet()));
        Expected e = expected(irisModel, irisTest, "species", List.of("setosa", "versicolor", "virginica"));

        Map<String, Object> cm = Json.asObject(j.get("confusion_matrix"), "confusion_matrix");
        assertEquals(e.classes, cm.get("classes"));
        assertEquals(e.matrixJson(), cm.get("matrix"));
        Map<String, Object> perClass = Json.asObject(j.get("per_class"), "per_class");
        assertEquals(e.classes, List.copyOf(perClass.keySet()));
        for (int k = 0; k < e.classes.size(); k++) {
            Map<String, Object> c = Json.asObject(perClass.get(e.classes.get(k)), "class");
            assertEquals(List.of("precision", "recall", "f1-score", "support"), List.copyOf(c.keySet()));
            assertEquals(e.precision(k), Json.asDouble(c.get("precision"), "p"), 1e-12);
            assertEquals(e.recall(k), Json.asDouble(c.get("recall"), "r"), 1e-12);
            assertEquals(e.f1(k), Json.asDouble(c.get("f1-score"), "f1"), 1e-12);
            assertEquals(10L, c.get("support"));
        }
        double macro = 0;
        for (int k = 0; k < 3; k++) macro += e.pairAuc(k) / 3;
        assertEquals(macro, Json.asDouble(j.get("auc"), "auc"), 1e-9);
        assertTrue(macro > 0.5 && macro < 1, "neither chance nor perfect: " + macro);
        assertEquals(e.accuracy(), Json.asDouble(j.get("accuracy"), "accuracy"), 1e-12);

        CliTestSupport.Run text = nabla("evaluate", "--model", irisModel, "--data", irisTest);
        assertEquals(0, text.code(), text.err());
        String out = text.out();
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "auc: %.4f (one-vs-rest, macro average of 3 classes)", macro)), out);
        assertTrue(out.contains("precision     recall   f1-score    support"), out);
        String versicolor = String.format(java.util.Locale.ROOT, "%-16s  %9.4f  %9.4f  %9.4f  %9d", "versicolor",
                e.precision(1), e.recall(1), e.f1(1), 10);
        assertTrue(out.contains(versicolor), () -> "row '" + versicolor + "' in:\n" + out);
        assertTrue(out.contains("confusion matrix (rows: true class, columns: predicted class):"), out);
        assertTrue(out.contains("true \\ predicted      setosa  versicolor   virginica"), out);
        StringBuilder row = new StringBuilder(String.format("%-16s", "setosa"));
        for (long v : e.matrix[0]) row.append(String.format("  %10d", v));
        assertTrue(out.contains(row), () -> "row '" + row + "' in:\n" + out);
    }

    @Test
    void binaryAucRanksByTheProbabilityOfTheSecondClass() throws Exception {
        StringBuilder train = new StringBuilder("x,y,label\n");
        StringBuilder test = new StringBuilder("x,y,label\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 80; i++) {
            int k = i % 2;
            String line = (k + rng.nextGaussian()) + "," + (rng.nextGaussian()) + "," + (k == 0 ? "no" : "yes") + "\n";
            (i < 56 ? train : test).append(line);
        }
        Path data = Files.writeString(dir.resolve("ring.csv"), train);
        Path testFile = Files.writeString(dir.resolve("ring-test.csv"), test);
        Path model = dir.resolve("ring.nabla");
        assertEquals(0, nabla("train", "--data", data, "--loss", "binary-cross-entropy", "--epochs", 5, "--out", model).code());
        Map<String, Object> j = nabla("evaluate", "--model", model, "--data", testFile, "--json").json();
        Expected e = expected(model, testFile, "label", List.of("no", "yes"));
        assertEquals(e.pairAuc(1), Json.asDouble(j.get("auc"), "auc"), 1e-9);
        assertEquals(e.matrixJson(), Json.asObject(j.get("confusion_matrix"), "cm").get("matrix"));
        Map<String, Object> yes = Json.asObject(Json.asObject(j.get("per_class"), "per_class").get("yes"), "yes");
        assertEquals(e.recall(1), Json.asDouble(yes.get("recall"), "recall"), 1e-12);
        String out = nabla("evaluate", "--model", model, "--data", testFile).out();
        assertTrue(out.contains("(binary, positive class 'yes')"), out);
    }

    @Test
    void aucOfDataWithOneClassIsUndefined() throws Exception {
        List<String> lines = Files.readAllLines(irisTest);
        StringBuilder only = new StringBuilder(lines.get(0)).append('\n');
        for (String l : lines) if (l.contains(",setosa,")) only.append(l).append('\n');
        Path setosa = Files.writeString(dir.resolve("setosa.csv"), only);
        Map<String, Object> j = nabla("evaluate", "--model", irisModel, "--data", setosa, "--json").json();
        assertTrue(j.containsKey("auc"));
        assertNull(j.get("auc"), "undefined AUC is null: " + j);
        Map<String, Object> perClass = Json.asObject(j.get("per_class"), "per_class");
        assertEquals(0L, Json.asObject(perClass.get("virginica"), "virginica").get("support"));
        assertEquals(0.0, Json.asDouble(Json.asObject(perClass.get("virginica"), "virginica").get("recall"), "recall"));
        CliTestSupport.Run text = nabla("evaluate", "--model", irisModel, "--data", setosa);
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("auc: undefined (every sample is of class 'setosa')"), text.out());
        // two of the three classes: one-vs-rest has no positive for the third
        StringBuilder two = new StringBuilder(lines.get(0)).append('\n');
        for (String l : lines) if (!l.contains(",virginica,") && !l.equals(lines.get(0))) two.append(l).append('\n');
        Path noVirginica = Files.writeString(dir.resolve("two.csv"), two);
        assertNull(nabla("evaluate", "--model", irisModel, "--data", noVirginica, "--json").json().get("auc"));
        String out = nabla("evaluate", "--model", irisModel, "--data", noVirginica).out();
        assertTrue(out.contains("auc: undefined (class 'virginica' has no sample in the data)"), out);
    }

    @Test
    void classNamesAreEscapedInTheTables() throws Exception {
        String evil = "red\u001b]0;pwned\u0007";
        StringBuilder sb = new StringBuilder("x,colour\n");
        for (int i = 0; i < 40; i++) sb.append(i % 2 + i * 0.01).append(',').append(i % 2 == 0 ? "blue" : evil).append('\n');
        Path data = Files.writeString(dir.resolve("colours.csv"), sb);
        Path model = dir.resolve("colours.nabla");
        assertEquals(0, nabla("train", "--data", data, "--epochs", 2, "--out", model).code());
        CliTestSupport.Run text = nabla("evaluate", "--model", model, "--data", data);
        assertEquals(0, text.code(), text.err());
        assertFalse(text.out().contains("\u001b"), "no raw escape: " + text.out());
        assertTrue(text.out().contains("red\\x1b]0;pwned\\x07"), text.out());
        // JSON keeps the real name (its writer escapes control characters)
        Map<String, Object> j = nabla("evaluate", "--model", model, "--data", data, "--json").json();
        assertTrue(Json.asObject(j.get("per_class"), "per_class").containsKey(evil));
    }

    /** Counts from {@code predict --json}'s probabilities and the file's labels, computed here by plain loops. */
    private static Expected expected(Path model, Path data, String label, List<String> classes) throws Exception {
        List<String> lines = Files.readAllLines(data);
        int col = List.of(lines.get(0).split(",")).indexOf(label);
        List<Integer> truth = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) truth.add(classes.indexOf(l.split(",")[col]));
        Map<String, Object> p = nabla("predict", "--model", model, data, "--json").json();
        List<Object> predictions = Json.asArray(p.get("predictions"), "predictions");
        double[][] prob = new double[truth.size()][classes.size()];
        int[] predicted = new int[truth.size()];
        for (int i = 0; i < truth.size(); i++) {
            Map<String, Object> one = Json.asObject(predictions.get(i), "prediction");
            Map<String, Object> probs = Json.asObject(one.get("probabilities"), "probabilities");
            for (int k = 0; k < classes.size(); k++) prob[i][k] = Json.asDouble(probs.get(classes.get(k)), "p");
            predicted[i] = classes.indexOf((String) one.get("label"));
        }
        long[][] m = new long[classes.size()][classes.size()];
        for (int i = 0; i < truth.size(); i++) m[truth.get(i)][predicted[i]]++;
        return new Expected(classes, truth, prob, m);
    }

    private record Expected(List<String> classes, List<Integer> truth, double[][] prob, long[][] matrix) {
        long predictedAs(int k) {
            long s = 0;
            for (long[] row : matrix) s += row[k];
            return s;
        }

        long actual(int k) {
            long s = 0;
            for (long v : matrix[k]) s += v;
            return s;
        }

        double precision(int k) {
            return predictedAs(k) == 0 ? 0 : (double) matrix[k][k] / predictedAs(k);
        }

        double recall(int k) {
            return actual(k) == 0 ? 0 : (double) matrix[k][k] / actual(k);
        }

        double f1(int k) {
            return predictedAs(k) + actual(k) == 0 ? 0 : 2.0 * matrix[k][k] / (predictedAs(k) + actual(k));
        }

        double accuracy() {
            long d = 0;
            for (int k = 0; k < matrix.length; k++) d += matrix[k][k];
            return (double) d / truth.size();
        }

        /** Class k's one-vs-rest AUC: pairs (a sample of k, one not of k) ordered right, ties one half. */
        double pairAuc(int k) {
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < truth.size(); i++) {
                if (truth.get(i) != k) continue;
                for (int j = 0; j < truth.size(); j++) {
                    if (truth.get(j) == k) continue;
                    pairs++;
                    wins += prob[i][k] > prob[j][k] ? 1 : prob[i][k] == prob[j][k] ? 0.5 : 0;
                }
            }
            return wins / pairs;
        }

        List<Object> matrixJson() {
            List<Object> rows = new ArrayList<>();
            for (long[] r : matrix) {
                List<Object> row = new ArrayList<>();
                for (long v : r) row.add(v);
                rows.add(row);
            }
            return rows;
        }
    }
}
