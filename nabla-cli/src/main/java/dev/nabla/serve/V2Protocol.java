package dev.nabla.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe v2), the minimum: model metadata and {@code infer}. The one input is named
 * {@code input}: for a table FP32 {@code [N, F]} of raw values in the training CSV's column order (BYTES
 * {@code [N, F]} of cells as strings, which a table with text columns needs), for images FP32 {@code [N, C, H, W]} in
 * the model's pixel range or BYTES {@code [N]} of base64 encoded files, for texts BYTES {@code [N]}. The outputs are
 * {@code probabilities} FP32 {@code [N, C]} (classes in the model's order) and {@code label} BYTES {@code [N]}, or
 * {@code value} FP32 {@code [N, 1]} for regression. {@code data} may be flat (row-major) or nested.
 */
final class V2Protocol {

    private V2Protocol() {
    }

    /** {@code GET /v2/models/NAME}. */
    static Map<String, Object> metadata(ModelSlot slot) {
        ModelInputs in = slot.inputs();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", slot.model().name());
        m.put("versions", List.of("1"));
        m.put("platform", "nabla");
        List<Object> shape = new ArrayList<>(List.of(-1));
        String datatype = "FP32";
        if (in.images()) {
            for (int d : slot.model().preprocessing().imageShape()) shape.add(d);
        } else if (in.texts()) {
            datatype = "BYTES";
        } else {
            shape.add(in.columns().size());
            if (!in.textColumns().isEmpty()) datatype = "BYTES";
        }
        m.put("inputs", List.of(tensor("input", datatype, shape)));
        if (slot.model().regression()) {
            m.put("outputs", List.of(tensor("value", "FP32", List.of(-1, 1))));
        } else {
            int c = slot.model().model().classNames().size();
            m.put("outputs", List.of(tensor("probabilities", "FP32", List.of(-1, c)), tensor("label", "BYTES", List.of(-1))));
        }
        return m;
    }

    /** {@code POST /v2/models/NAME/infer}: the request's rows, and how the outputs become the answer. */
    static Pending infer(ModelSlot slot, InferBody request) {
        JsonNode body = request.tree();
        if (!body.isObject() || !body.path("inputs").isArray()) throw HttpError.badRequest("the body must be a JSON object with \"inputs\": [...]");
        JsonNode inputs = body.get("inputs");
        if (inputs.size() != 1) throw HttpError.badRequest("\"inputs\": the model takes one input, named 'input', got " + inputs.size());
        JsonNode input = inputs.get(0);
        String name = input.path("name").asText("");
        if (!name.equals("input")) throw HttpError.badRequest("inputs[0].name: the model's input is named 'input', not '" + name + "'");
        int[] shape = shape(input.get("shape"));
        String datatype = input.path("datatype").asText("");
        double[] numbers = request.numbers();
        List<JsonNode> data = List.of();
        if (numbers == null) {
            JsonNode raw = input.get("data");
            if (raw == null && input.path("parameters").has("binary_data_size")) {
                throw HttpError.badRequest("inputs[0].parameters.binary_data_size: binary data needs the "
                        + BinaryOutputs.HEADER + " header (the length of the JSON before it)");
            }
            data = new ArrayList<>(raw != null && raw.isArray() ? Math.max(10, raw.size()) : 10);
            flatten(raw, data, "inputs[0].data");
        }
        int size = numbers != null ? numbers.length : data.size();
        long count = 1;
        for (int d : shape) count *= d;
        if (count != size) {
            throw HttpError.badRequest("inputs[0]: shape " + java.util.Arrays.toString(shape) + " holds " + count + " values, but "
                    + (request.binary() ? "parameters.binary_data_size gives " + size + " (" + 4L * size + " bytes)" : "data has " + size));
        }
        if (shape.length == 0 || shape[0] < 1) throw HttpError.badRequest("inputs[0].shape: the first dimension is the batch, at least 1");
        ModelInputs in = slot.inputs();
        int n = shape[0];
        Tensor x = switch (datatype) {
            case "FP32" -> fp32(in, shape, numbers != null ? numbers : numbers(data));
            case "BYTES" -> bytes(in, shape, data);
            default -> throw HttpError.badRequest("inputs[0].datatype: '" + datatype + "' is not taken; the model takes FP32 or BYTES");
        };
        return new Pending(slot, x, output -> BinaryOutputs.response(answer(slot, body, n, output), body));
    }

    /** The answer's map for the outputs of {@code n} samples. */
    private static Map<String, Object> answer(ModelSlot slot, JsonNode body, int n, Tensor output) {
        List<Object> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) names.add(i);
        List<Map<String, Object>> predictions = slot.model().format().predictions(output, names);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_name", slot.model().name());
        if (body.hasNonNull("id")) out.put("id", body.get("id").asText());
        List<Object> outputs = new ArrayList<>();
        if (slot.model().regression()) {
            List<Float> values = new ArrayList<>();
            for (Map<String, Object> p : predictions) values.add(((Number) p.get("value")).floatValue());
            outputs.add(output("value", "FP32", List.of(n, 1), values));
        } else {
            List<String> classes = slot.model().model().classNames();
            List<Float> probabilities = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (Map<String, Object> p : predictions) {
                Map<?, ?> probs = (Map<?, ?>) p.get("probabilities");
                for (String c : classes) probabilities.add(((Number) probs.get(c)).floatValue());
                labels.add((String) p.get("label"));
            }
            outputs.add(output("probabilities", "FP32", List.of(n, classes.size()), probabilities));
            outputs.add(output("label", "BYTES", List.of(n), labels));
        }
        out.put("outputs", outputs);
        return out;
    }

    /** The values of FP32 data read by Jackson: numbers only. */
    private static double[] numbers(List<JsonNode> data) {
        double[] numbers = new double[data.size()];
        for (int i = 0; i < numbers.length; i++) {
            JsonNode v = data.get(i);
            if (!v.isNumber()) throw HttpError.badRequest("inputs[0].data[" + i + "]: FP32 data must be numbers, got " + v);
            // raw values as the CSV file would hold them: a JSON number and a CSV cell of the same decimal give one double
            numbers[i] = v.doubleValue();
        }
        return numbers;
    }

    private static Tensor fp32(ModelInputs in, int[] shape, double[] numbers) {
        if (in.images()) {
            float[] values = new float[numbers.length];
            for (int i = 0; i < values.length; i++) values[i] = (float) numbers[i];
            return in.imagePixels(values, shape);
        }
        if (in.texts()) throw HttpError.badRequest("inputs[0].datatype: the model reads texts; send them as BYTES [N]");
        requireRows(in, shape);
        List<String> text = in.textColumns();
        if (!text.isEmpty()) {
            throw HttpError.badRequest("inputs[0].datatype: FP32 cannot carry the text column" + (text.size() == 1 ? " '" : "s '")
                    + String.join("', '", text) + "'; send the rows as BYTES [N, " + in.columns().size() + "] of cells as strings");
        }
        return in.numbers(numbers, shape[0]);
    }

    private static Tensor bytes(ModelInputs in, int[] shape, List<JsonNode> data) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) strings.add(V1Protocol.cell(data.get(i), "inputs[0].data[" + i + "]"));
        if (in.texts() || in.images()) {
            if (shape.length != 1) throw HttpError.badRequest("inputs[0].shape: BYTES " + in.reads() + " are [N], got " + java.util.Arrays.toString(shape));
            if (in.texts()) return in.texts(strings);
            List<byte[]> files = new ArrayList<>();
            for (int i = 0; i < strings.size(); i++) files.add(V1Protocol.base64(strings.get(i), "inputs[0].data[" + i + "]"));
            return in.imageFiles(files, "inputs[0].data");
        }
        requireRows(in, shape);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < shape[0]; r++) rows.add(strings.subList(r * shape[1], (r + 1) * shape[1]));
        return in.rows(rows);
    }

    private static void requireRows(ModelInputs in, int[] shape) {
        int f = in.columns().size();
        if (shape.length != 2 || shape[1] != f) {
            throw HttpError.badRequest("inputs[0].shape: the model takes [N, " + f + "] (columns " + String.join(", ", in.columns())
                    + "), got " + java.util.Arrays.toString(shape));
        }
    }

    private static int[] shape(JsonNode s) {
        if (s == null || !s.isArray()) throw HttpError.badRequest("inputs[0].shape: expected an array of sizes");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!s.get(i).canConvertToInt() || !s.get(i).isIntegralNumber() || s.get(i).asInt() < 0) {
                throw HttpError.badRequest("inputs[0].shape[" + i + "]: expected a size (a whole number >= 0), got " + s.get(i));
            }
            shape[i] = s.get(i).asInt();
        }
        return shape;
    }

    private static void flatten(JsonNode v, List<JsonNode> out, String where) {
        if (v == null || !v.isArray()) throw HttpError.badRequest(where + ": expected an array");
        for (JsonNode e : v) {
            if (e.isArray()) flatten(e, out, where);
            else out.add(e);
        }
    }

    private static Map<String, Object> tensor(String name, String datatype, List<?> shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("datatype", datatype);
        m.put("shape", shape);
        return m;
    }

    private static Map<String, Object> output(String name, String datatype, List<?> shape, List<?> data) {
        Map<String, Object> m = tensor(name, datatype, shape);
        m.put("data", data);
        return m;
    }
}
