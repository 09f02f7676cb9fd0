package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla predict --out FILE.csv}: the file's columns and values, CSV quoting, and the files it never replaces. */
class PredictCsvTest {

    @TempDir
    static Path dir;

    static Path classifier;
    static Path rows;

    @BeforeAll
    static void train() throws Exception {
        Path data = CliTestSupport.classificationCsv(dir, "iris.csv", 60, 1, true);
        classifier = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", data, "--label", "species", "--epochs", 3, "--out", classifier).code());
        rows = CliTestSupport.classificationCsv(dir, "rows.csv", 5, 9, false);
    }

    @Test
    void classifierRowsWithOneProbabilityColumnPerClass() throws Exception {
        Path out = dir.resolve("predictions.csv");
        CliTestSupport.Run r = nabla("predict", "--model", classifier, rows, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote 5 predictions to " + out + "\n", r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("input,label,prob_setosa,prob_versicolor,prob_virginica", lines.get(0));
        assertEquals(6, lines.size());
        List<Object> json = Json.asArray(nabla("predict", "--model", classifier, rows, "--json").json().get("predictions"), "p");
        for (int i = 0; i < 5; i++) {
            String[] f = lines.get(i + 1).split(",");
            Map<String, Object> p = Json.asObject(json.get(i), "p");
            assertEquals(String.valueOf(i + 1), f[0], "row numbers from 1, as predict prints them");
            assertEquals(p.get("label"), f[1]);
            Map<String, Object> probs = Json.asObject(p.get("probabilities"), "probabilities");
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                String c = List.of("setosa", "versicolor", "virginica").get(k);
                assertEquals(Json.asDouble(probs.get(c), c), Double.parseDouble(f[2 + k]), 0.0, "the same double");
                sum += Double.parseDouble(f[2 + k]);
            }
            assertEquals(1, sum, 1e-5);
        }
        // --json prints the predictions too and says where the file went
        Map<String, Object> j = nabla("predict", "--model", classifier, rows, "--out", out, "--json").json();
        assertEquals(out.toString(), j.get("out"));
        assertEquals(5, Json.asArray(j.get("predictions"), "predictions").size());
    }

    @Test
    void regressionGivesTheValue() throws Exception {
        Path prices = CliTestSupport.regressionCsv(dir, "prices.csv", 60, 3);
        Path model = dir.resolve("prices.nabla");
        assertEquals(0, nabla("train", "--data", prices, "--loss", "mse", "--epochs", 2, "--out", model).code());
        Path out = dir.resolve("prices-predicted.csv");
        assertEquals(0, nabla("predict", "--model", model, prices, "--out", out).code());
        List<String> lines = Files.readAllLines(out);
        assertEquals("input,value", lines.get(0));
        assertEquals(61, lines.size());
        Object first = Json.asObject(Json.asArray(nabla("predict", "--model", model, prices, "--json").json().get("predictions"), "p")
                .get(0), "p").get("value");
        assertEquals("1," + Json.asDouble(first, "value"), lines.get(1));
    }

    @Test
    void fileNamesAndClassNamesAreQuoted() throws Exception {
        Path images = dir.resolve("odd");
        for (String cls : List.of("a,b", "say \"hi\"")) {
            Path d = Files.createDirectories(images.resolve(cls));
            for (int i = 0; i < 4; i++) {
                BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(i % 4, cls.startsWith("a") ? 0 : 3, 0, 255);
                ImageIO.write(img, "png", d.resolve(i + (i == 0 ? ", \"x\".png" : ".png")).toFile());
            }
        }
        Path model = dir.resolve("odd.nabla");
        CliTestSupport.Run t = nabla("train", "--data", images, "--arch", "dense:4:relu", "--epochs", 1, "--out", model);
        assertEquals(0, t.code(), t.err());
        Path out = dir.resolve("odd.csv");
        Path input = images.resolve("a,b").resolve("0, \"x\".png");
        assertEquals(0, nabla("predict", "--model", model, input, "--out", out).code());
        List<String> lines = Files.readAllLines(out);
        assertEquals("input,label,\"prob_a,b\",\"prob_say \"\"hi\"\"\"", lines.get(0));
        assertTrue(lines.get(1).startsWith("\"" + input.toString().replace("\"", "\"\"") + "\","), lines.get(1));
        assertEquals("\"\"", PredictionsCsv.field(""));
        assertEquals("\" lead\"", PredictionsCsv.field(" lead"));
        assertEquals("\"two\nlines\"", PredictionsCsv.field("two\nlines"));
        assertEquals("plain", PredictionsCsv.field("plain"));
    }

    @Test
    void neverReplacesAnInputTheModelOrAnotherFile(@TempDir Path tmp) throws Exception {
        byte[] before = Files.readAllBytes(rows);
        nabla("predict", "--model", classifier, rows, "--out", rows).assertUsageError("--out", "is an input");
        nabla("predict", "--model", classifier, rows, "--out", rows, "--force").assertUsageError("is an input");
        assertEquals(new String(before), Files.readString(rows));
        nabla("predict", "--model", classifier, rows, "--out", classifier, "--force").assertUsageError("--model file");
        assertTrue(OutputFiles.isModelFile(classifier));

        Path notes = Files.writeString(tmp.resolve("notes.csv"), "my,own\n1,2\n");
        nabla("predict", "--model", classifier, rows, "--out", notes).assertUsageError("--out", "not a predictions CSV", "--force");
        assertEquals("my,own\n1,2\n", Files.readString(notes));
        assertEquals(0, nabla("predict", "--model", classifier, rows, "--out", notes, "--force").code());
        assertTrue(Files.readString(notes).startsWith("input,label,"));
        // a predictions file replaces itself without --force
        assertEquals(0, nabla("predict", "--model", classifier, rows, "--out", notes).code());

        nabla("predict", "--model", classifier, rows, "--out", tmp).assertUsageError("is a folder");
        nabla("predict", "--model", classifier, rows, "--out", tmp.resolve("missing/p.csv")).assertUsageError("does not exist");
        Path link = Files.createSymbolicLink(tmp.resolve("link.csv"), notes);
        nabla("predict", "--model", classifier, rows, "--out", link).assertUsageError("symbolic link");
        // a failed prediction leaves no file and no temporary file
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "a,b\n1,2\n");
        Path never = tmp.resolve("never.csv");
        assertEquals(2, nabla("predict", "--model", classifier, bad, "--out", never).code());
        assertFalse(Files.exists(never));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
