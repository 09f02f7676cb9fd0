package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.kernel.Precision;
import dev.nabla.serve.PredictionServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code nabla serve --precision}: the same predictions as {@code nabla predict} with the same flag. */
class ServePrecisionTest {

    @TempDir
    static Path dir;

    private static List<Object> served(Path model, Precision precision) throws Exception {
        ServeCommand command = new ServeCommand(new Io(System.out, System.err));
        try (PredictionServer server = PredictionServer.start(List.of(command.load("iris=" + model)),
                new PredictionServer.Options("127.0.0.1", 0, 64 * 1024, 64, 2, precision))) {
            String body = Json.write(Map.of("instances", ServeTest.recordsOf(dir.resolve("rows.csv"))));
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.address() + "/v1/models/iris:predict"))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return Json.asArray(Json.asObject(Json.parse(r.body()), "answer").get("predictions"), "predictions");
        }
    }

    @Test
    void bf16ServesWhatPredictAnswersInBf16() throws Exception {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here");
        Path data = CliTestSupport.classificationCsv(dir, "iris.csv", 150, 1, true);
        Path model = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", data, "--label", "species", "--epochs", 2, "--out", model).code());
        Path rows = CliTestSupport.classificationCsv(dir, "rows.csv", 40, 5, false);
        Object fp32 = nabla("predict", "--model", model, rows, "--json").json().get("predictions");
        Object bf16 = nabla("predict", "--model", model, rows, "--json", "--precision", "bf16").json().get("predictions");
        assertNotEquals(fp32, bf16, "bf16 predictions differ from float32's somewhere");
        assertEquals(bf16, served(model, Precision.BF16), "serve in bf16 answers as predict --precision bf16");
        assertEquals(fp32, served(model, Precision.FP32), "serve in fp32 answers as predict");
        String before = System.getProperty("nabla.bf16");
        System.setProperty("nabla.bf16", "off");
        try {
            assertEquals(fp32, served(model, Precision.BF16), "without bf16, float32's answers exactly");
        } finally {
            if (before == null) System.clearProperty("nabla.bf16"); else System.setProperty("nabla.bf16", before);
        }
    }

    @Test
    void anUnknownPrecisionIsAUsageError() {
        CliTestSupport.Run run = nabla("serve", "--model", dir.resolve("none.nabla"), "--precision", "fp64");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--precision: unknown precision 'fp64': use fp32 or bf16"), run.err());
    }
}
