package dev.nabla.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.io.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of a v2 {@code infer} request as JSON, or with some outputs in KServe's binary tensor data extension:
 * where the request has {@code "parameters": {"binary_data_output": true}} (every output) or names an output in
 * {@code "outputs": [{"name": ..., "parameters": {"binary_data": true}}]}, that output loses its {@code data}, gains
 * {@code "parameters": {"binary_data_size": N}}, and its N bytes follow the JSON in the order of the outputs: FP32 as
 * 4-byte little-endian floats, BYTES as each element's 4-byte little-endian length and its UTF-8 bytes. The JSON's
 * length is the {@code Inference-Header-Content-Length} header, the Content-Type {@code application/octet-stream}.
 */
final class BinaryOutputs {

    /** The header that gives the length of the JSON at the start of a binary body, request or answer. */
    static final String HEADER = "Inference-Header-Content-Length";

    private BinaryOutputs() {
    }

    /** The response for {@code answer} (the map of {@link V2Protocol#infer}), binary where {@code request} asks. */
    static Response response(Map<String, Object> answer, JsonNode request) throws IOException {
        boolean all = flag(request.path("parameters"), "binary_data_output", "parameters.binary_data_output");
        @SuppressWarnings("unchecked") List<Map<String, Object>> outputs = (List<Map<String, Object>>) answer.get("outputs");
        List<String> names = new ArrayList<>();
        for (Map<String, Object> o : outputs) names.add((String) o.get("name"));
        List<String> binary = new ArrayList<>();
        if (all) binary.addAll(names);
        JsonNode asked = request.get("outputs");
        if (asked != null) {
            if (!asked.isArray()) throw HttpError.badRequest("outputs: expected an array of {\"name\": ...}");
            for (int i = 0; i < asked.size(); i++) {
                String name = asked.get(i).path("name").asText("");
                if (!names.contains(name)) {
                    throw HttpError.badRequest("outputs[" + i + "].name: the model has no output '" + name + "' (outputs: "
                            + String.join(", ", names) + ")");
                }
                if (flag(asked.get(i).path("parameters"), "binary_data", "outputs[" + i + "].parameters.binary_data")
                        && !binary.contains(name)) binary.add(name);
            }
        }
        if (binary.isEmpty()) return new Response(200, "application/json", Json.mapper().writeValueAsBytes(answer));
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        List<Object> written = new ArrayList<>();
        for (Map<String, Object> o : outputs) {
            if (!binary.contains((String) o.get("name"))) {
                written.add(o);
                continue;
            }
            byte[] bytes = encode((String) o.get("datatype"), (List<?>) o.get("data"));
            tail.write(bytes);
            Map<String, Object> header = new LinkedHashMap<>(o);
            header.remove("data");
            header.put("parameters", Map.of("binary_data_size", bytes.length));
            written.add(header);
        }
        Map<String, Object> head = new LinkedHashMap<>(answer);
        head.put("outputs", written);
        byte[] json = Json.mapper().writeValueAsBytes(head);
        byte[] body = new byte[json.length + tail.size()];
        System.arraycopy(json, 0, body, 0, json.length);
        System.arraycopy(tail.toByteArray(), 0, body, json.length, tail.size());
        return new Response(200, "application/octet-stream", body, Map.of(HEADER, Integer.toString(json.length)));
    }

    private static byte[] encode(String datatype, List<?> data) {
        if (datatype.equals("FP32")) {
            ByteBuffer b = ByteBuffer.allocate(4 * data.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (Object v : data) b.putFloat(((Number) v).floatValue());
            return b.array();
        }
        List<byte[]> cells = new ArrayList<>();
        int size = 0;
        for (Object v : data) {
            byte[] cell = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
            cells.add(cell);
            size += 4 + cell.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] cell : cells) b.putInt(cell.length).put(cell);
        return b.array();
    }

    /** A boolean parameter: absent is false; anything but true or false is refused, naming {@code where}. */
    private static boolean flag(JsonNode parameters, String key, String where) {
        JsonNode v = parameters.get(key);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw HttpError.badRequest(where + ": expected true or false, got " + v);
        return v.booleanValue();
    }
}
