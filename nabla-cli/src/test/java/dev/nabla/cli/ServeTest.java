package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.serve.PredictionServer;
import dev.nabla.serve.ServedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla serve} in process: every endpoint, the same predictions as {@code nabla predict --json} (v1 objects,
 * v2 tensors), every class of bad request with its status and message, concurrent clients against single requests,
 * and the metrics.
 */
class ServeTest {

    @TempDir
    static Path dir;

    static Path classifier;
    static Path regressor;
    static Path imageModel;
    static Path textModel;
    static Path rows;
    static Path image;
    static PredictionServer server;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path data = CliTestSupport.classificationCsv(dir, "iris.csv", 60, 1, true);
        classifier = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", data, "--label", "species", "--epochs", 3, "--out", classifier).code());
        regressor = dir.resolve("house.nabla");
        assertEquals(0, nabla("train", "--data", CliTestSupport.regressionCsv(dir, "house.csv", 60, 2), "--epochs", 3,
                "--out", regressor).code());
        Path images = CliTestSupport.imageFolder(dir, "stripes", 6, 3);
        imageModel = dir.resolve("stripes.nabla");
        assertEquals(0, nabla("train", "--data", images, "--arch", "dense:8:relu", "--epochs", 1, "--out", imageModel).code());
        image = images.resolve("stripes-h").resolve("000.png");
        rows = CliTestSupport.classificationCsv(dir, "rows.csv", 7, 9, false);
        textModel = dir.resolve("reviews.nabla");
        assertEquals(0, nabla("train", "--data", TextCommandsTest.textFolder(dir.resolve("reviews"), 10, 1), "--arch",
                "embedding:8,globalavgpool1d", "--epochs", 1, "--out", textModel).code());
        ServeCommand command = new ServeCommand(new Io(System.out, System.err));
        List<ServedModel> models = List.of(command.load(classifier.toString()), command.load("house=" + regressor),
                command.load(imageModel.toString()), command.load(textModel.toString()));
        server = PredictionServer.start(models, new PredictionServer.Options("127.0.0.1", 0, 64 * 1024, 64, 2));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Answer(int status, String body) {
        Map<String, Object> json() {
            return Json.asObject(Json.parse(body), "answer");
        }
    }

    static Answer get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.address() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static Answer post(String path, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.address() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** The CSV rows (header a,b,c,d) as v1 instances by column name, numbers as the file writes them. */
    static List<Map<String, Object>> records() throws Exception {
        return recordsOf(rows);
    }

    /** The rows of a CSV file (numbers only) as v1 instances by column name. */
    static List<Map<String, Object>> recordsOf(Path rows) throws Exception {
        List<String> lines = Files.readAllLines(rows);
        String[] header = lines.get(0).split(",");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            Map<String, Object> m = new LinkedHashMap<>();
            for (int j = 0; j < header.length; j++) m.put(header[j], new java.math.BigDecimal(f[j]));
            out.add(m);
        }
        return out;
    }

    @Test
    void v1AnswersWithTheObjectsOfPredictJson() throws Exception {
        Object expected = nabla("predict", "--model", classifier, rows, "--json").json().get("predictions");
        Answer a = post("/v1/models/iris:predict", Json.write(Map.of("instances", records())));
        assertEquals(200, a.status(), a.body());
        assertEquals(expected, a.json().get("predictions"), "the same objects, numbers and order");
        // the same rows as arrays in the CSV's column order
        List<Object> arrays = new ArrayList<>();
        for (Map<String, Object> r : records()) arrays.add(new ArrayList<>(r.values()));
        assertEquals(expected, post("/v1/models/iris:predict", Json.write(Map.of("instances", arrays))).json().get("predictions"));
    }

    @Test
    void v2InferGivesProbabilitiesInClassOrderAndLabels() throws Exception {
        List<Object> expected = Json.asArray(nabla("predict", "--model", classifier, rows, "--json").json().get("predictions"), "p");
        List<Object> data = new ArrayList<>();
        for (Map<String, Object> r : records()) data.addAll(r.values());
        Map<String, Object> input = Map.of("name", "input", "datatype", "FP32", "shape", List.of(7, 4), "data", data);
        Answer a = post("/v2/models/iris/infer", Json.write(Map.of("id", "x1", "inputs", List.of(input))));
        assertEquals(200, a.status(), a.body());
        Map<String, Object> out = a.json();
        assertEquals("iris", out.get("model_name"));
        assertEquals("x1", out.get("id"));
        List<Object> outputs = Json.asArray(out.get("outputs"), "outputs");
        Map<String, Object> probs = Json.asObject(outputs.get(0), "probabilities");
        Map<String, Object> labels = Json.asObject(outputs.get(1), "label");
        assertEquals("probabilities", probs.get("name"));
        assertEquals(List.of(7L, 3L), probs.get("shape"));
        assertEquals("BYTES", labels.get("datatype"));
        List<Object> p = Json.asArray(probs.get("data"), "data");
        for (int i = 0; i < 7; i++) {
            Map<String, Object> e = Json.asObject(expected.get(i), "e");
            assertEquals(e.get("label"), Json.asArray(labels.get("data"), "labels").get(i));
            Map<String, Object> ep = Json.asObject(e.get("probabilities"), "p");
            List<String> classes = List.of("setosa", "versicolor", "virginica");
            for (int k = 0; k < 3; k++) {
                assertEquals((float) Json.asDouble(ep.get(classes.get(k)), "p"), (float) Json.asDouble(p.get(i * 3 + k), "p"), 0f);
            }
        }
    }

    @Test
    void regressionAndImagesLikePredict() throws Exception {
        Path houses = dir.resolve("houses.csv");
        Files.writeString(houses, "rooms,area\n3,120.5\n1,30\n");
        Object expected = nabla("predict", "--model", regressor, houses, "--json").json().get("predictions");
        String body = "{\"instances\": [{\"rooms\": 3, \"area\": 120.5}, {\"rooms\": 1, \"area\": 30}]}";
        assertEquals(expected, post("/v1/models/house:predict", body).json().get("predictions"));
        Answer v2 = post("/v2/models/house/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [2, 2],"
                + " \"data\": [[3, 120.5], [1, 30]]}]}");
        Map<String, Object> value = Json.asObject(Json.asArray(v2.json().get("outputs"), "o").get(0), "value");
        assertEquals(List.of(2L, 1L), value.get("shape"));
        Map<String, Object> first = Json.asObject(Json.asArray(expected, "e").get(0), "e");
        assertEquals((float) Json.asDouble(first.get("value"), "v"), (float) Json.asDouble(Json.asArray(value.get("data"), "d").get(0), "d"), 0f);

        Map<String, Object> predicted = Json.asObject(Json.asArray(nabla("predict", "--model", imageModel, image, "--json").json()
                .get("predictions"), "p").get(0), "p");
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(image));
        Map<String, Object> served = Json.asObject(Json.asArray(post("/v1/models/stripes:predict",
                "{\"instances\": [{\"b64\": \"" + b64 + "\"}]}").json().get("predictions"), "p").get(0), "p");
        assertEquals(predicted.get("probabilities"), served.get("probabilities"));
        assertEquals(1L, served.get("input"), "instances are numbered from 1");
        Answer bytes = post("/v2/models/stripes/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"BYTES\", \"shape\": [1],"
                + " \"data\": [\"" + b64 + "\"]}]}");
        assertEquals(200, bytes.status(), bytes.body());
    }

    @Test
    void textsLikePredict() throws Exception {
        Object expected = nabla("predict", "--model", textModel, "--text", "a wonderful film", "--text", "dull and bad", "--json")
                .json().get("predictions");
        Answer a = post("/v1/models/reviews:predict", "{\"instances\": [\"a wonderful film\", {\"text\": \"dull and bad\"}]}");
        assertEquals(200, a.status(), a.body());
        assertEquals(expected, a.json().get("predictions"));
        Answer v2 = post("/v2/models/reviews/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"BYTES\", \"shape\": [2],"
                + " \"data\": [\"a wonderful film\", \"dull and bad\"]}]}");
        assertEquals(200, v2.status(), v2.body());
        assertError(post("/v1/models/reviews:predict", "{\"instances\": [3]}"), 400, "instances[0]", "expected a text");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [\"some words\"]}"), 400, "instances[0]");
    }

    @Test
    void healthMetadataAndReadiness() throws Exception {
        assertEquals(200, get("/v2/health/live").status());
        assertEquals(Map.of("ready", true), get("/v2/health/ready").json());
        assertEquals(Map.of("name", "iris", "ready", true), get("/v2/models/iris/ready").json());
        Map<String, Object> meta = get("/v2/models/iris").json();
        assertEquals(List.of(Map.of("name", "input", "datatype", "FP32", "shape", List.of(-1L, 4L))), meta.get("inputs"));
        assertEquals(List.of(Map.of("name", "probabilities", "datatype", "FP32", "shape", List.of(-1L, 3L)),
                Map.of("name", "label", "datatype", "BYTES", "shape", List.of(-1L))), meta.get("outputs"));
        assertEquals(List.of(Map.of("name", "input", "datatype", "FP32", "shape", List.of(-1L, 1L, 8L, 8L))),
                get("/v2/models/stripes").json().get("inputs"));
        assertEquals(List.of(Map.of("name", "value", "datatype", "FP32", "shape", List.of(-1L, 1L))),
                get("/v2/models/house").json().get("outputs"));
    }

    static void assertError(Answer a, int status, String... mentions) {
        assertEquals(status, a.status(), a.body());
        String message = (String) a.json().get("error");
        for (String m : mentions) assertTrue(message.contains(m), () -> "'" + m + "' not in: " + message);
    }

    @Test
    void badRequestsAreNamedAndTheServerKeepsServing() throws Exception {
        assertError(post("/v1/models/nope:predict", "{}"), 404, "unknown model 'nope'", "iris");
        assertError(get("/v2/models/nope"), 404, "unknown model 'nope'");
        assertError(get("/v3/x"), 404, "no such path");
        assertError(get("/v2/models/iris/infer"), 405, "POST");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [1,"), 400, "malformed JSON", "line 1");
        assertError(post("/v1/models/iris:predict", ""), 400, "malformed JSON");
        assertError(post("/v1/models/iris:predict", "{\"rows\": []}"), 400, "instances");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [{\"a\": 1, \"b\": 2, \"c\": 3}]}"), 400, "column 'd'");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5}]}"), 400,
                "unknown column 'e'", "a, b, c, d");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [{\"a\": \"x\", \"b\": 2, \"c\": 3, \"d\": 4}]}"), 400,
                "column 'a'", "'x' is not a number");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [[1, 2, 3]]}"), 400, "3 values", "takes 4 (a, b, c, d)");
        String v2 = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"%s\", \"shape\": %s, \"data\": %s}]}";
        assertError(post("/v2/models/iris/infer", v2.formatted("FP32", "[1, 3]", "[1, 2, 3]")), 400, "[N, 4]", "[1, 3]");
        assertError(post("/v2/models/iris/infer", v2.formatted("FP32", "[1, 4]", "[1, 2, 3]")), 400, "holds 4 values", "data has 3");
        assertError(post("/v2/models/iris/infer", v2.formatted("INT64", "[1, 4]", "[1, 2, 3, 4]")), 400, "'INT64'", "FP32");
        assertError(post("/v2/models/iris/infer", v2.formatted("FP32", "[1, 4]", "[1, \"a\", 3, 4]")), 400, "data[1]", "numbers");
        assertError(post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"x\"}]}"), 400, "named 'input'");
        assertError(post("/v1/models/stripes:predict", "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(
                "not an image".getBytes(StandardCharsets.UTF_8)) + "\"}]}"), 400, "instances[0]", "not an image");
        assertError(post("/v1/models/stripes:predict", "{\"instances\": [{\"b64\": \"***\"}]}"), 400, "not base64");
        assertError(post("/v1/models/stripes:predict", "{\"instances\": [{\"a\": 1}]}"), 400, "b64");
        assertError(post("/v2/models/stripes/infer", v2.formatted("FP32", "[1, 1, 4, 4]", "[" + "0,".repeat(15) + "0]")), 400,
                "[N, 1, 8, 8]");
        assertError(post("/v1/models/iris:predict", "{\"instances\": [\"" + "x".repeat(70_000) + "\"]}"), 413, "65536 bytes",
                "--max-body-bytes");
        assertEquals(200, post("/v1/models/iris:predict", Json.write(Map.of("instances", records()))).status(), "still serving");
    }

    @Test
    void concurrentClientsGetTheAnswersOfSingleRequests() throws Exception {
        List<Map<String, Object>> rows = records();
        List<Object> single = new ArrayList<>();
        for (Map<String, Object> r : rows) single.add(post("/v1/models/iris:predict", Json.write(Map.of("instances", List.of(r)))).json());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        int k = (seed + i) % rows.size();
                        Answer a = post("/v1/models/iris:predict", Json.write(Map.of("instances", List.of(rows.get(k)))));
                        if (a.status() != 200 || !a.json().equals(single.get(k))) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) assertTrue(f.get(), "every concurrent answer equals the single one, exactly");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void metricsInPrometheusTextFormat() throws Exception {
        post("/v1/models/iris:predict", Json.write(Map.of("instances", records())));
        post("/v1/models/nope:predict", "{}");
        String text = get("/metrics").body();
        assertTrue(text.contains("# TYPE nabla_requests_total counter"), text);
        assertTrue(text.matches("(?s).*\nnabla_requests_total\\{model=\"iris\",code=\"200\"} [1-9]\\d*\n.*"), text);
        assertTrue(text.matches("(?s).*\nnabla_requests_total\\{model=\"\",code=\"404\"} [1-9]\\d*\n.*"), text);
        assertTrue(text.contains("# TYPE nabla_request_duration_seconds histogram"), text);
        assertTrue(text.matches("(?s).*\nnabla_request_duration_seconds_bucket\\{model=\"iris\",le=\"\\+Inf\"} [1-9]\\d*\n.*"), text);
        assertTrue(text.matches("(?s).*\nnabla_batch_size_bucket\\{model=\"iris\",le=\"\\+Inf\"} [1-9]\\d*\n.*"), text);
        assertTrue(text.contains("nabla_batch_size_sum{model=\"iris\"}"), text);
    }

    @Test
    void badFlagsAreUsageErrors() {
        nabla("serve", "--model", dir.resolve("missing.nabla")).assertUsageError("--model", "no such file");
        nabla("serve", "--model", classifier, "--model", classifier).assertUsageError("a second model named 'iris'", "NAME=FILE");
        nabla("serve", "--model", classifier, "--max-batch", 0).assertUsageError("--max-batch");
        nabla("serve", "--model", "bad name=" + classifier).assertUsageError("a model name");
    }
}
