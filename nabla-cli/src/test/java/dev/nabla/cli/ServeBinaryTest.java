package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.serve.PredictionServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KServe's binary tensor data extension over HTTP: a hand-built binary request (JSON, then little-endian floats)
 * answers exactly the numbers of the same request in JSON, binary outputs decode to the JSON answer's values, and
 * every inconsistent size is a 400 naming the header or the field.
 */
class ServeBinaryTest {

    @TempDir
    static Path dir;

    static PredictionServer server;
    static final HttpClient client = HttpClient.newHttpClient();
    static final List<Float> values = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path data = CliTestSupport.classificationCsv(dir, "iris.csv", 60, 1, true);
        Path model = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", data, "--label", "species", "--epochs", 3, "--out", model).code());
        Path rows = CliTestSupport.classificationCsv(dir, "rows.csv", 5, 9, false);
        for (String line : Files.readAllLines(rows).subList(1, 6)) {
            for (String f : line.split(",")) values.add(Float.parseFloat(f));
        }
        server = PredictionServer.start(List.of(new ServeCommand(new Io(System.out, System.err)).load(model.toString())),
                new PredictionServer.Options());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Answer(int status, String contentType, String headerLength, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Answer post(byte[] body, String headerLength) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.address() + "/v2/models/iris/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength != null) b.header("Inference-Header-Content-Length", headerLength).header("Content-Type", "application/octet-stream");
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("Inference-Header-Content-Length").orElse(null), r.body());
    }

    /** The JSON of a request for the 5 rows, {@code input} as given, and {@code extra} top-level fields. */
    static String request(String input, String extra) {
        return "{\"inputs\": [" + input + "]" + extra + "}";
    }

    static byte[] floats(List<Float> v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Answer binary(String json, byte[] tail) throws Exception {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        return post(concat(head, tail), Integer.toString(head.length));
    }

    static final String BINARY_INPUT = "{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [5, 4], \"parameters\": {\"binary_data_size\": 80}}";

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> outputs(String json) {
        return (List<Map<String, Object>>) (List<?>) Json.asArray(Json.asObject(Json.parse(json), "a").get("outputs"), "outputs");
    }

    @Test
    void binaryInputsAndOutputsGiveTheNumbersOfTheJsonRequest() throws Exception {
        StringBuilder data = new StringBuilder();
        for (float f : values) data.append(data.isEmpty() ? "" : ", ").append(f);
        Answer json = post(request("{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [5, 4], \"data\": [" + data + "]}", "")
                .getBytes(StandardCharsets.UTF_8), null);
        assertEquals(200, json.status(), json.text());
        List<Map<String, Object>> expected = outputs(json.text());
        float[] probabilities = new float[15];
        for (int i = 0; i < 15; i++) probabilities[i] = (float) Json.asDouble(Json.asArray(expected.get(0).get("data"), "d").get(i), "p");
        List<Object> labels = Json.asArray(expected.get(1).get("data"), "labels");

        // binary in, JSON out: the same answer, number for number
        Answer in = binary(request(BINARY_INPUT, ""), floats(values));
        assertEquals(200, in.status(), in.text());
        assertEquals("application/json", in.contentType());
        assertEquals(expected, outputs(in.text()));

        // binary in and out: probabilities as 15 little-endian floats, labels as length-prefixed UTF-8
        Answer out = binary(request(BINARY_INPUT, ", \"parameters\": {\"binary_data_output\": true}"), floats(values));
        assertEquals(200, out.status(), out.text());
        assertEquals("application/octet-stream", out.contentType());
        int head = Integer.parseInt(out.headerLength());
        List<Map<String, Object>> meta = outputs(new String(out.body(), 0, head, StandardCharsets.UTF_8));
        assertEquals(Map.of("binary_data_size", 60L), meta.get(0).get("parameters"));
        assertTrue(!meta.get(0).containsKey("data"), "binary outputs carry no data in the JSON");
        ByteBuffer b = ByteBuffer.wrap(out.body(), head, out.body().length - head).order(ByteOrder.LITTLE_ENDIAN);
        float[] got = new float[15];
        for (int i = 0; i < 15; i++) got[i] = b.getFloat();
        assertArrayEquals(probabilities, got, 0f);
        int labelBytes = 0;
        for (Object label : labels) {
            byte[] text = new byte[b.getInt()];
            b.get(text);
            labelBytes += 4 + text.length;
            assertEquals(label, new String(text, StandardCharsets.UTF_8));
        }
        assertEquals(0, b.remaining());
        assertEquals(Map.of("binary_data_size", (long) labelBytes), meta.get(1).get("parameters"));

        // one output asked for in binary, the other stays JSON
        Answer one = post(request("{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [5, 4], \"data\": [" + data + "]}",
                ", \"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"binary_data\": true}}]").getBytes(StandardCharsets.UTF_8), null);
        assertEquals(200, one.status(), one.text());
        int oneHead = Integer.parseInt(one.headerLength());
        assertEquals(oneHead + 60, one.body().length);
        assertEquals(labels, outputs(new String(one.body(), 0, oneHead, StandardCharsets.UTF_8)).get(1).get("data"));
    }

    @Test
    void inconsistentSizesAreNamedAndTheServerKeepsServing() throws Exception {
        byte[] tail = floats(values);
        byte[] json = request(BINARY_INPUT, "").getBytes(StandardCharsets.UTF_8);
        assertError(post(concat(json, tail), "lots"), "Inference-Header-Content-Length", "lots");
        assertError(post(concat(json, tail), "100000"), "Inference-Header-Content-Length", "100000");
        assertError(post(concat(json, tail), "-1"), "Inference-Header-Content-Length");
        assertError(binary(request(BINARY_INPUT, ""), java.util.Arrays.copyOf(tail, 76)), "inputs[0].parameters.binary_data_size", "80", "76");
        assertError(binary(request(BINARY_INPUT, ""), java.util.Arrays.copyOf(tail, 84)), "Inference-Header-Content-Length", "84", "80");
        assertError(binary(request(BINARY_INPUT.replace("80", "\"80\""), ""), tail), "inputs[0].parameters.binary_data_size", "\"80\"");
        assertError(binary(request(BINARY_INPUT.replace("80}", "78}"), ""), java.util.Arrays.copyOf(tail, 78)),
                "inputs[0].parameters.binary_data_size", "78", "4 bytes");
        assertError(binary(request(BINARY_INPUT.replace("[5, 4]", "[4, 4]"), ""), tail), "inputs[0]", "16 values", "binary_data_size", "20");
        assertError(binary(request(BINARY_INPUT.replace("FP32", "BYTES"), ""), tail), "inputs[0].parameters.binary_data_size", "FP32");
        assertError(binary(request(BINARY_INPUT.replace("}}", "}, \"data\": [1]}"), ""), tail), "inputs[0]", "data", "binary_data_size");
        assertError(post(request(BINARY_INPUT, "").getBytes(StandardCharsets.UTF_8), null), "inputs[0]", "binary_data_size");
        assertError(binary(request(BINARY_INPUT, ", \"outputs\": [{\"name\": \"probs\"}]"), tail), "outputs[0].name", "probs", "probabilities");
        assertError(binary(request(BINARY_INPUT, ", \"parameters\": {\"binary_data_output\": 1}"), tail), "parameters.binary_data_output");
        assertEquals(200, binary(request(BINARY_INPUT, ""), tail).status());
    }

    static void assertError(Answer a, String... mentions) {
        assertEquals(400, a.status(), a.text());
        String error = (String) Json.asObject(Json.parse(a.text()), "error").get("error");
        for (String m : mentions) assertTrue(error.contains(m), "'" + error + "' should mention " + m);
    }
}
