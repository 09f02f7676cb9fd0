package dev.nabla.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TensorFlow-Serving-style form, {@code POST /v1/models/NAME:predict} with {@code {"instances": [...]}},
 * answering {@code {"predictions": [...]}} with the objects of {@code nabla predict --json}. An instance is, for a
 * table, an object of column name to value ({@code {"sepal_length": 5.1, "color": "red"}}; null or "" is a missing
 * cell) or an array of values in the training CSV's column order; for an image model {@code {"b64": "..."}}, the
 * encoded file in base64; for a text model a string or {@code {"text": "..."}}. Each prediction's {@code "input"} is
 * the instance's number from 1 (as predict numbers CSV rows), or the text itself.
 */
final class V1Protocol {

    private V1Protocol() {
    }

    /** The request's rows, and how the outputs become the answer. */
    static Pending predict(ModelSlot slot, JsonNode body) {
        if (!body.isObject() || !body.has("instances")) throw HttpError.badRequest("the body must be a JSON object with \"instances\": [...]");
        JsonNode instances = body.get("instances");
        if (!instances.isArray() || instances.isEmpty()) throw HttpError.badRequest("\"instances\" must be a non-empty array");
        ModelInputs in = slot.inputs();
        List<Object> names = new ArrayList<>();
        Tensor x;
        if (in.texts()) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                JsonNode t = instances.get(i);
                if (t.isObject() && t.has("text") && t.get("text").isTextual()) t = t.get("text");
                if (!t.isTextual()) throw HttpError.badRequest("instances[" + i + "]: expected a text (a string or {\"text\": \"...\"})");
                texts.add(t.asText());
                names.add(t.asText());
            }
            x = in.texts(texts);
        } else if (in.images()) {
            List<byte[]> files = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                JsonNode t = instances.get(i);
                if (!t.isObject() || !t.has("b64") || !t.get("b64").isTextual()) {
                    throw HttpError.badRequest("instances[" + i + "]: expected an image as {\"b64\": \"BASE64 of the file\"}");
                }
                files.add(base64(t.get("b64").asText(), "instances[" + i + "].b64"));
                names.add(i + 1);
            }
            x = in.imageFiles(files, "instances");
        } else {
            boolean records = instances.get(0).isObject();
            List<Map<String, String>> byName = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                JsonNode r = instances.get(i);
                String where = "instances[" + i + "]";
                if (records && r.isObject()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (var it = r.fields(); it.hasNext(); ) {
                        var e = it.next();
                        row.put(e.getKey(), cell(e.getValue(), where + "." + e.getKey()));
                    }
                    byName.add(row);
                } else if (!records && r.isArray()) {
                    List<String> row = new ArrayList<>();
                    for (int j = 0; j < r.size(); j++) row.add(cell(r.get(j), where + "[" + j + "]"));
                    rows.add(row);
                } else {
                    throw HttpError.badRequest(where + ": expected " + (records ? "an object of column to value, as instances[0]"
                            : "an array of values in the columns' order, as instances[0]"));
                }
                names.add(i + 1);
            }
            x = records ? in.records(byName) : in.rows(rows);
        }
        return new Pending(slot, x, output -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("predictions", slot.model().format().predictions(output, names));
            return Router.json(out);
        });
    }

    /** A table cell as the CSV file would hold it: numbers as written, strings as they are, null as missing. */
    static String cell(JsonNode v, String where) {
        if (v.isNull()) return "";
        if (v.isNumber() || v.isTextual()) return v.asText();
        throw HttpError.badRequest(where + ": expected a number, a string or null, got " + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }

    static byte[] base64(String s, String where) {
        try {
            return Base64.getDecoder().decode(s.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(where + ": not base64 (" + e.getMessage() + ")");
        }
    }
}
