package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {

    @Test
    void demoTrainsOfflineOnTheShippedImages(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.nabla");
        Path plot = dir.resolve("demo.svg");
        Map<String, Object> j = nabla("demo", "--epochs", 1, "--out", out, "--plot", plot, "--json").json();
        assertEquals("classification", j.get("task"));
        assertEquals(List.of("ankle-boot", "bag", "coat", "dress", "pullover", "sandal", "shirt", "sneaker", "t-shirt", "trouser"),
                j.get("classes"));
        assertEquals(2700L, j.get("train_samples"));
        assertEquals(500L, j.get("test_samples"));
        double accuracy = Json.asDouble(Json.asObject(j.get("test"), "test").get("accuracy"), "accuracy");
        assertTrue(accuracy > 0.5, "one epoch already beats chance (10%) by far: " + accuracy);
        List<Object> predictions = Json.asArray(j.get("predictions"), "predictions");
        assertEquals(6, predictions.size());
        Map<String, Object> first = Json.asObject(predictions.get(0), "p");
        assertTrue(first.containsKey("label") && first.containsKey("probabilities") && first.containsKey("true_label"));
        assertTrue(Files.isRegularFile(out));
        assertTrue(Files.readString(plot).contains("<svg"));
    }

    @Test
    void shippedDataHasItsLicence() {
        assertTrue(DemoCommand.class.getResource(DemoCommand.RESOURCE) != null);
        assertTrue(DemoCommand.class.getResource("/demo/FASHION-MNIST-COPYRIGHT") != null);
    }
}
