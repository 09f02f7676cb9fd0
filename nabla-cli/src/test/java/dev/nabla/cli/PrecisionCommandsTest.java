package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.kernel.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --precision fp32|bf16} of train, evaluate and predict, and its fallback where bf16 is unavailable. */
class PrecisionCommandsTest {

    @TempDir
    static Path dir;

    static Path data;
    static Path test;
    static Path model;
    static double fp32Accuracy;

    @BeforeAll
    static void train() throws Exception {
        data = CliTestSupport.classificationCsv(dir, "iris.csv", 150, 1, true);
        test = CliTestSupport.classificationCsv(dir, "iris-test.csv", 60, 2, true);
        model = dir.resolve("iris.nabla");
        Map<String, Object> j = nabla("train", "--data", data, "--test", test, "--label", "species", "--epochs", 15,
                "--lr", 0.01, "--out", model, "--json").json();
        fp32Accuracy = Json.asDouble(Json.asObject(j.get("test"), "test").get("accuracy"), "accuracy");
    }

    private static double accuracy(CliTestSupport.Run run) {
        return Json.asDouble(run.json().get("accuracy"), "accuracy");
    }

    @Test
    void bf16TrainingAndEvaluationStayCloseToFloat32() {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here");
        Path out = dir.resolve("iris-bf16.nabla");
        CliTestSupport.Run trained = nabla("train", "--data", data, "--test", test, "--label", "species", "--epochs",
                15, "--lr", 0.01, "--out", out, "--json", "--precision", "bf16");
        Map<String, Object> j = trained.json();
        assertFalse(trained.err().contains("unavailable"), trained.err());
        double bf16Trained = Json.asDouble(Json.asObject(j.get("test"), "test").get("accuracy"), "accuracy");
        // 60 test rows: one row is 1.7 points
        assertEquals(fp32Accuracy, bf16Trained, 0.05, "bf16 training");
        assertEquals(fp32Accuracy, accuracy(nabla("evaluate", "--model", model, "--data", test, "--json",
                "--precision", "bf16")), 0.034, "bf16 evaluation of the float32 model");
    }

    @Test
    void bf16PredictionsAreWithinBf16ToleranceOfFloat32s() throws Exception {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here");
        Path rows = CliTestSupport.classificationCsv(dir, "rows.csv", 40, 5, false);
        List<Object> fp32 = Json.asArray(nabla("predict", "--model", model, rows, "--json").json().get("predictions"), "p");
        List<Object> bf16 = Json.asArray(nabla("predict", "--model", model, rows, "--json", "--precision", "bf16")
                .json().get("predictions"), "p");
        assertEquals(fp32.size(), bf16.size());
        boolean anyDifferent = false;
        for (int i = 0; i < fp32.size(); i++) {
            Map<String, Object> a = Json.asObject(fp32.get(i), "p");
            Map<String, Object> b = Json.asObject(bf16.get(i), "p");
            Map<String, Object> pa = Json.asObject(a.get("probabilities"), "probabilities");
            Map<String, Object> pb = Json.asObject(b.get("probabilities"), "probabilities");
            for (String c : pa.keySet()) {
                double x = Json.asDouble(pa.get(c), c);
                double y = Json.asDouble(pb.get(c), c);
                assertEquals(x, y, 2e-2, "row " + i + " class " + c);
                anyDifferent |= x != y;
            }
        }
        assertTrue(anyDifferent, "bf16 ran: some probability differs from float32's");
    }

    @Test
    void withoutBf16OneLineSaysSoAndResultsAreFloat32s() {
        String before = System.getProperty("nabla.bf16");
        System.setProperty("nabla.bf16", "off");
        try {
            CliTestSupport.Run run = nabla("evaluate", "--model", model, "--data", test, "--json", "--precision", "bf16");
            assertEquals("nabla: --precision bf16 unavailable (switched off by -Dnabla.bf16=off); running in fp32",
                    run.err().strip());
            assertEquals(fp32Accuracy, accuracy(run), 0.0, "float32's result exactly");
        } finally {
            if (before == null) System.clearProperty("nabla.bf16"); else System.setProperty("nabla.bf16", before);
        }
    }

    @Test
    void anUnknownPrecisionIsAUsageErrorNamingTheFlag() {
        nabla("evaluate", "--model", model, "--data", test, "--precision", "fp16")
                .assertUsageError("--precision", "fp16", "fp32 or bf16");
        nabla("predict", "--model", model, dir.resolve("iris.csv"), "--precision", "half").assertUsageError("--precision", "half");
        nabla("train", "--data", data, "--label", "species", "--out", dir.resolve("x.nabla"), "--precision", "f")
                .assertUsageError("--precision");
    }
}
