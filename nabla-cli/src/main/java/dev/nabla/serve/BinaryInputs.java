package dev.nabla.serve;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The request side of KServe's binary tensor data extension: the first {@code Inference-Header-Content-Length}
 * bytes of the body are the JSON request; each input with {@code "parameters": {"binary_data_size": N}} has no
 * {@code data} and its N bytes follow the JSON, in the order of the inputs. FP32 only (4-byte little-endian floats):
 * no numbers to parse, and 4 bytes a value instead of about 10 of text. Every inconsistency is a 400 naming the header
 * or the field.
 */
final class BinaryInputs {

    private BinaryInputs() {
    }

    /** The body read with the header's value {@code headerLength}; {@code parse} reads the JSON part. */
    static InferBody read(byte[] body, String headerLength, Function<byte[], JsonNode> parse) {
        int json;
        try {
            json = Integer.parseInt(headerLength.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(BinaryOutputs.HEADER + ": expected the length of the JSON in bytes, got '" + headerLength + "'");
        }
        if (json < 0 || json > body.length) {
            throw HttpError.badRequest(BinaryOutputs.HEADER + ": " + json + " is not a length within the body of " + body.length + " bytes");
        }
        JsonNode tree = parse.apply(Arrays.copyOf(body, json));
        int binary = body.length - json;
        JsonNode inputs = tree.path("inputs");
        long declared = 0;
        for (int i = 0; i < inputs.size(); i++) {
            long size = size(inputs.get(i), i);
            if (size > binary - declared) {
                throw HttpError.badRequest("inputs[" + i + "].parameters.binary_data_size: " + size + " bytes, but the body has "
                        + (binary - declared) + " left after the JSON" + (i > 0 ? " and the earlier inputs' data" : "")
                        + " (" + BinaryOutputs.HEADER + ": " + json + ")");
            }
            declared += Math.max(0, size);
        }
        if (declared != binary) {
            throw HttpError.badRequest(BinaryOutputs.HEADER + ": " + json + " leaves " + binary + " bytes after the JSON, but the inputs'"
                    + " parameters.binary_data_size add up to " + declared);
        }
        long first = inputs.size() > 0 ? size(inputs.get(0), 0) : -1;
        if (first < 0) return new InferBody(tree, null, false);
        JsonNode input = inputs.get(0);
        String datatype = input.path("datatype").asText("");
        if (!datatype.equals("FP32")) {
            throw HttpError.badRequest("inputs[0].parameters.binary_data_size: binary data is taken for FP32 inputs, not '"
                    + datatype + "'");
        }
        if (first % 4 != 0) {
            throw HttpError.badRequest("inputs[0].parameters.binary_data_size: " + first + " bytes are not whole FP32 values (4 bytes each)");
        }
        ByteBuffer b = ByteBuffer.wrap(body, json, (int) first).order(ByteOrder.LITTLE_ENDIAN);
        double[] numbers = new double[(int) (first / 4)];
        for (int i = 0; i < numbers.length; i++) numbers[i] = b.getFloat();
        return new InferBody(tree, numbers, true);
    }

    /** The input's {@code binary_data_size}, or -1 where it has none; with binary data it has no {@code data}. */
    private static long size(JsonNode input, int i) {
        JsonNode v = input.path("parameters").get("binary_data_size");
        if (v == null) return -1;
        String where = "inputs[" + i + "].parameters.binary_data_size";
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw HttpError.badRequest(where + ": expected a size in bytes (a whole number >= 0), got " + v.toString());
        }
        if (input.has("data")) throw HttpError.badRequest("inputs[" + i + "]: give either data or parameters.binary_data_size, not both");
        return v.asLong();
    }
}
