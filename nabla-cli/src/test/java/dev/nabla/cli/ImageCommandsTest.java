package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train, predict and evaluate on image folders; plots. */
class ImageCommandsTest {

    @TempDir
    static Path dir;

    static Path images;
    static Path model;
    static Path plot;
    static Map<String, Object> trained;

    @BeforeAll
    static void train() throws Exception {
        images = CliTestSupport.imageFolder(dir, "stripes", 20, 1);
        model = dir.resolve("stripes.nabla");
        plot = dir.resolve("curves.png");
        trained = nabla("train", "--data", images, "--test", images, "--arch", "conv:4:3:relu,maxpool,dense:16:relu",
                "--epochs", 6, "--lr", 0.01, "--batch-size", 8, "--val-split", 0.2, "--out", model, "--plot", plot, "--json").json();
    }

    @Test
    void trainsOnImages() {
        assertEquals("classification", trained.get("task"));
        assertEquals(List.of("stripes-h", "stripes-v"), trained.get("classes"));
        assertEquals(6, Json.asArray(trained.get("history"), "history").size());
        assertTrue(Json.asDouble(Json.asObject(trained.get("test"), "test").get("accuracy"), "accuracy") >= 0.9, trained.toString());
        assertEquals(32L, trained.get("train_samples"));
        assertEquals(8L, trained.get("validation_samples"));
    }

    @Test
    void pngPlot() throws Exception {
        byte[] png = Files.readAllBytes(plot);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));
        assertTrue(png.length > 5000, "a real chart: " + png.length + " bytes");
    }

    @Test
    void svgPlotAndDenseSpecOnImages() throws Exception {
        Path svg = dir.resolve("curves.svg");
        Path out = dir.resolve("mlp.nabla");
        // a dense-only spec on images: flatten is inserted automatically
        CliTestSupport.Run r = nabla("train", "--data", images, "--arch", "dense:8:relu", "--epochs", 2, "--out", out,
                "--plot", svg, "--json");
        assertEquals("classification", r.json().get("task"));
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.contains("<svg"), text.substring(0, Math.min(200, text.length())));
        assertTrue(text.contains("<path"), "drawn as vector paths");
        CliTestSupport.Run info = nabla("info", "--model", out);
        assertTrue(info.out().contains("flatten"), info.out());
    }

    @Test
    void predictImages() throws Exception {
        Path h = images.resolve("stripes-h/000.png");
        Path v = images.resolve("stripes-v/000.png");
        Map<String, Object> j = nabla("predict", "--model", model, h, v, "--json").json();
        List<Object> predictions = Json.asArray(j.get("predictions"), "predictions");
        assertEquals(2, predictions.size());
        Map<String, Object> first = Json.asObject(predictions.get(0), "p");
        assertEquals(h.toString(), first.get("input"));
        assertEquals("stripes-h", first.get("label"));
        assertEquals("stripes-v", Json.asObject(predictions.get(1), "p").get("label"));

        CliTestSupport.Run text = nabla("predict", "--model", model, h, "--top", 5);
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().strip().matches(".*000\\.png +stripes-h +\\d+\\.\\d% +stripes-v +\\d+\\.\\d%"), text.out());

        // a folder of images is searched recursively
        Map<String, Object> all = nabla("predict", "--model", model, images, "--json", "--top", 1).json();
        assertEquals(40, Json.asArray(all.get("predictions"), "predictions").size());
    }

    @Test
    void evaluateImages() {
        Map<String, Object> j = nabla("evaluate", "--model", model, "--data", images, "--json").json();
        assertEquals(40L, j.get("samples"));
        assertTrue(Json.asDouble(j.get("accuracy"), "accuracy") >= 0.9);
    }
}
