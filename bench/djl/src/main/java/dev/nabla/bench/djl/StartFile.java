package dev.nabla.bench.djl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where Nabla's side of a training workload started ({@code -Dnabla.bench.start=FILE}): a safetensors file of F32
 * tensors, the initial parameters ({@code p0, p1, ...} in Nabla's layouts, or by path in the graph) and each epoch's
 * shuffle order ({@code order}, [epochs, n] as floats). The same file {@code torch_bench.py --start} reads.
 */
final class StartFile {

    /** One tensor: its shape and its values, row-major. */
    record Tensor(long[] shape, float[] values) {
        int rank() {
            return shape.length;
        }
    }

    private final Path path;
    private final Map<String, Tensor> tensors;

    private StartFile(Path path, Map<String, Tensor> tensors) {
        this.path = path;
        this.tensors = tensors;
    }

    static StartFile read(Path path) throws IOException {
        byte[] raw = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = raw.length >= 8 ? b.getLong(0) : -1;
        if (headerLength < 0 || headerLength > raw.length - 8) throw new IOException(path + ": not a safetensors file");
        JsonObject header = JsonParser.parseString(new String(raw, 8, (int) headerLength, StandardCharsets.UTF_8))
                .getAsJsonObject();
        int body = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            JsonObject info = e.getValue().getAsJsonObject();
            String dtype = info.get("dtype").getAsString();
            if (!dtype.equals("F32")) throw new IOException(path + ": tensor " + e.getKey() + " is " + dtype + ", expected F32");
            var dims = info.getAsJsonArray("shape");
            long[] shape = new long[dims.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) count *= shape[i] = dims.get(i).getAsLong();
            var offsets = info.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            if (end - begin != 4 * count || begin < 0 || body + end > raw.length) {
                throw new IOException(path + ": tensor " + e.getKey() + " has bad data offsets");
            }
            float[] values = new float[(int) count];
            ByteBuffer slice = ByteBuffer.wrap(raw, body + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            slice.asFloatBuffer().get(values);
            tensors.put(e.getKey(), new Tensor(shape, values));
        }
        return new StartFile(path, tensors);
    }

    Path path() {
        return path;
    }

    /** The tensors in the file's order (its header's); {@code order} included. */
    Map<String, Tensor> tensors() {
        return tensors;
    }

    Tensor get(String name) throws IOException {
        Tensor t = tensors.get(name);
        if (t == null) throw new IOException(path + " has no tensor " + name);
        return t;
    }

    /** Epoch {@code epoch}'s (0-based) shuffle order over {@code n} samples. */
    int[] order(int epoch, int n) throws IOException {
        Tensor t = get("order");
        if (t.rank() != 2 || t.shape()[1] != n || epoch >= t.shape()[0]) {
            throw new IOException(path + ": order has shape " + java.util.Arrays.toString(t.shape())
                    + ", not one of " + n + " samples for epoch " + (epoch + 1));
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) t.values()[epoch * n + i];
        return order;
    }

    /** A [rows, cols] matrix transposed: Nabla's dense weight is [in, out], DJL's (PyTorch's) [out, in]. */
    static Tensor transposed(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("not a matrix");
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[c * rows + r] = t.values()[r * cols + c];
        }
        return new Tensor(new long[]{cols, rows}, out);
    }
}
