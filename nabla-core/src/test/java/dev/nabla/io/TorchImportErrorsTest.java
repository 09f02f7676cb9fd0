package dev.nabla.io;

import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every mismatch between a state_dict and the network is one clear error, and a failed import changes nothing. */
class TorchImportErrorsTest {

    @TempDir
    Path dir;

    /** The fixture MLP: net.0 [8, 4], net.2 [6, 8], net.4 [3, 6] (nn.Linear layout). */
    private static Map<String, Tensor> mlpState() throws Exception {
        return new LinkedHashMap<>(SafeTensors.read(Files.readAllBytes(TorchImportTest.resource("mlp_f32.safetensors"))).tensors());
    }

    private static Sequential mlp(int hidden) {
        return new Sequential(new Dense(hidden, Activation.RELU), new Dense(6, Activation.TANH), new Dense(3)).build(4);
    }

    private Path write(String name, Map<String, Tensor> tensors) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, SafeTensors.write(tensors, null));
        return p;
    }

    private static List<float[]> weights(Sequential net) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : net.parameters()) out.add(t.toArray());
        return out;
    }

    private static void assertUnchanged(List<float[]> before, Sequential net) {
        List<float[]> after = weights(net);
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed");
    }

    @Test
    void shapeMismatchNamesLayerKeyAndBothShapes() throws Exception {
        Sequential net = mlp(16);
        List<float[]> before = weights(net);
        Path f = write("mlp.safetensors", mlpState());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
        assertEquals(f + ": shape mismatch for key 'net.0.weight': the file has [8, 4] but layer '0' "
                + "dense(units=16, activation=relu, use_bias=true, kernel_initializer=torch_default, "
                + "bias_initializer=torch_default) needs [16, 4] (for its weight [4, 16], transposed)", e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void missingKeyIsAnErrorOrReportedWhenNotStrict() throws Exception {
        Map<String, Tensor> s = mlpState();
        s.remove("net.4.bias");
        Path f = write("mlp.safetensors", s);
        Sequential net = mlp(8);
        List<float[]> before = weights(net);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
        assertTrue(e.getMessage().startsWith(f + ": missing key 'net.4.bias' for layer '2' dense(units=3"), e.getMessage());
        assertUnchanged(before, net);

        TorchImportReport r = TorchWeights.load(net, f, TorchWeights.Options.defaults().strict(false));
        assertEquals(List.of("net.4.bias"), r.missingKeys());
        assertArrayEquals(before.get(5), net.parameters().get(5).toArray(), "a missing tensor keeps its values");
        assertArrayEquals(transpose(s.get("net.4.weight").toArray(), 3, 6), net.parameters().get(4).toArray());
    }

    @Test
    void unexpectedKeyIsAnErrorOrReportedWhenNotStrict() throws Exception {
        Map<String, Tensor> s = mlpState();
        s.put("extra.weight", Tensor.of(new float[]{1, 2}, 2));
        Path f = write("mlp.safetensors", s);
        Sequential net = mlp(8);
        List<float[]> before = weights(net);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
        assertEquals(f + ": unexpected key 'extra.weight': no layer of the network reads it (a non-strict import "
                + "ignores them)", e.getMessage());
        assertUnchanged(before, net);

        TorchImportReport r = TorchWeights.load(net, f, TorchWeights.Options.defaults().strict(false));
        assertEquals(List.of("extra.weight"), r.unexpectedKeys());
        assertEquals(List.of("net.0.", "net.2.", "net.4."), r.layers().stream().map(TorchImportReport.LayerImport::prefix).toList());
        assertArrayEquals(transpose(s.get("net.0.weight").toArray(), 8, 4), net.parameters().get(0).toArray());
    }

    @Test
    void moduleOrderComesFromNumbersNotFromTheHeader() {
        List<String> keys = new ArrayList<>(List.of("10.weight", "2.weight", "1.bias", "b.0.x", "a.10.y", "a.9.y", "a.9"));
        keys.sort(TorchWeights.KEY_ORDER);
        assertEquals(List.of("1.bias", "2.weight", "10.weight", "a.9", "a.9.y", "a.10.y", "b.0.x"), keys);
    }

    /** Same-shaped modules named out of alphabetical order: an explicit mapping says which is which. */
    @Test
    void explicitPrefixesMapOtherNaming() throws Exception {
        Map<String, Tensor> s = new LinkedHashMap<>();
        float[] first = {1, 2, 3, 4};
        float[] second = {5, 6, 7, 8};
        s.put("second.weight", Tensor.of(second, 2, 2));
        s.put("second.bias", Tensor.of(new float[]{0, 1}, 2));
        s.put("first.weight", Tensor.of(first, 2, 2));
        s.put("first.bias", Tensor.of(new float[]{2, 3}, 2));
        Path f = write("two.safetensors", s);
        Path mapping = dir.resolve("map.json");
        Files.writeString(mapping, "{\"0\": \"first\", \"1\": \"second.\"}");
        Sequential net = new Sequential(new Dense(2), new Dense(2)).build(2);
        TorchImportReport r = TorchWeights.load(net, f, TorchWeights.Options.defaults().prefixes(TorchWeights.readPrefixes(mapping)));
        assertArrayEquals(transpose(first, 2, 2), net.parameters().get(0).toArray());
        assertArrayEquals(transpose(second, 2, 2), net.parameters().get(2).toArray());
        assertEquals(List.of("first.weight", "first.bias"), r.layers().get(0).keys());

        // by key order alone ("first" < "second") the same file also fits; a mapping to a layer that is not there fails
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f,
                TorchWeights.Options.defaults().prefixes(Map.of("7", "first"))));
        assertEquals(f + ": the mapping names layer '7', but the network's layers with weights are [0, 1]", e.getMessage());
    }

    /** One explicit prefix; the other layer is matched by order among the keys left. */
    @Test
    void explicitAndOrderedMappingMix() throws Exception {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("a.weight", Tensor.of(new float[]{1, 2, 3, 4}, 2, 2));
        s.put("a.bias", Tensor.of(new float[]{0, 1}, 2));
        s.put("b.weight", Tensor.of(new float[]{5, 6, 7, 8}, 2, 2));
        s.put("b.bias", Tensor.of(new float[]{2, 3}, 2));
        Path f = write("ab.safetensors", s);
        Sequential net = new Sequential(new Dense(2), new Dense(2)).build(2);
        TorchImportReport r = TorchWeights.load(net, f, TorchWeights.Options.defaults().prefixes(Map.of("0", "b")));
        assertEquals(List.of("b.", "a."), r.layers().stream().map(TorchImportReport.LayerImport::prefix).toList());
        assertArrayEquals(new float[]{5, 7, 6, 8}, net.parameters().get(0).toArray());
        assertArrayEquals(new float[]{1, 3, 2, 4}, net.parameters().get(2).toArray());
    }

    /** A graph's nodes in order, and a single torch module saved at the top level (keys without a prefix). */
    @Test
    void graphsAndTopLevelModules() throws Exception {
        dev.nabla.nn.Node x = dev.nabla.nn.Graph.input("x", 2);
        dev.nabla.nn.Node h = new Dense(2, Activation.RELU).named("fc1").on(x);
        dev.nabla.nn.Node out = new Dense(1).named("head").on(new dev.nabla.nn.Add().on(h, new Dense(2).named("fc2").on(h)));
        dev.nabla.nn.Graph g = dev.nabla.nn.Graph.of(x, out).build();
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("fc1.weight", Tensor.of(new float[]{1, 2, 3, 4}, 2, 2));
        s.put("fc1.bias", Tensor.of(new float[]{0.5f, -0.5f}, 2));
        s.put("fc2.weight", Tensor.of(new float[]{1, 0, 0, 2}, 2, 2));
        s.put("fc2.bias", Tensor.of(new float[]{1, 1}, 2));
        s.put("head.weight", Tensor.of(new float[]{1, -1}, 1, 2));
        s.put("head.bias", Tensor.of(new float[]{0.25f}, 1));
        TorchWeights.load(g, write("graph.safetensors", s));
        g.train(false);
        // by hand: h = relu([1*1+2*1+0.5, 3*1+4*1-0.5]) = [3.5, 6.5]; fc2(h) = [4.5, 14]; sum [8, 20.5]; head 8-20.5+0.25
        assertArrayEquals(new float[]{-12.25f}, g.forward(Tensor.of(new float[]{1, 1}, 1, 2)).toArray(), 1e-6f);

        Dense single = new Dense(1);
        single.ensureBuilt(2);
        TorchImportReport r = TorchWeights.load(single, write("linear.safetensors",
                Map.of("weight", Tensor.of(new float[]{2, 3}, 1, 2), "bias", Tensor.of(new float[]{1}, 1))));
        assertEquals("", r.layers().get(0).prefix());
        assertArrayEquals(new float[]{2, 3}, single.weight().toArray());
    }

    @Test
    void integerTensorsAreRefusedUnlessIgnored() throws Exception {
        // a dense layer's weight stored as I64, next to an ignored num_batches_tracked
        String header = "{\"w.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"w.weight\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[8,16]},"
                + "\"w.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
        Path f = raw("ints.safetensors", header, 20);
        Sequential net = new Sequential(new Dense(1)).build(1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
        assertEquals(f + ": key 'w.weight' (for layer '0' dense(units=1, activation=linear, use_bias=true, "
                + "kernel_initializer=torch_default, bias_initializer=torch_default)) has dtype I64; weights are "
                + "imported from [BF16, F16, F32]", e.getMessage());
    }

    @Test
    void halfPrecisionDecodesExactly() throws Exception {
        // F16: 1, -2, 2^-24 (smallest subnormal), 65504 (largest), -0; BF16: 1, 3.140625, -2^-133 (subnormal), 2^127
        short[] f16 = {0x3C00, (short) 0xC000, 0x0001, 0x7BFF, (short) 0x8000};
        short[] bf16 = {0x3F80, 0x4049, (short) 0x8001, 0x7F00};
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[10,18]}}";
        ByteBuffer data = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : f16) data.putShort(v);
        for (short v : bf16) data.putShort(v);
        SafeTensors.Result r = SafeTensors.readFloats(bytes(header, data.array()), "t");
        assertArrayEquals(new float[]{1f, -2f, 0x1p-24f, 65504f, -0f}, r.tensors().get("h").toArray());
        assertArrayEquals(new float[]{1f, 3.140625f, -0x1p-133f, 0x1p127f}, r.tensors().get("b").toArray());
        assertEquals(Map.of("h", "F16", "b", "BF16"), r.dtypes());
        // the model-file reader still takes F32 only
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(bytes(header, data.array())));
        assertEquals("safetensors: tensor 'h' has dtype F16; Nabla reads only F32 tensors", e.getMessage());
    }

    @Test
    void damagedHeadersAreClearErrorsNamingTheFile() throws Exception {
        Sequential net = new Sequential(new Dense(1)).build(1);
        String w = "\"0.weight\":{\"dtype\":\"F16\",\"shape\":[1,1],\"data_offsets\":";
        String[][] cases = {
                {"{" + w + "[0,2]},\"0.bias\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[1,3]}}", "4",
                        "tensor '0.bias' data_offsets [1, 3] overlap the previous tensor's data, which ends at 2"},
                {"{" + w + "[0,2]},\"0.bias\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[2,4000000000]}}", "4",
                        "tensor '0.bias' data_offsets [2, 4000000000] lie outside the 4-byte data section"},
                {"{" + w + "[0,2]},\"0.bias\":{\"dtype\":\"F16\",\"shape\":[99999,99999],\"data_offsets\":[2,4]}}", "4",
                        "tensor '0.bias' shape [99999, 99999] has more than 2^31-1 elements"},
                {"{" + w + "[0,2]},\"0.bias\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[2,4]}}", "4",
                        "tensor '0.bias' has dtype Q4, which safetensors does not define"},
        };
        for (String[] c : cases) {
            Path f = raw("bad.safetensors", c[0], Integer.parseInt(c[1]));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
            assertTrue(e.getMessage().startsWith(f + ": " + c[2]), e.getMessage());
        }
        // a header length beyond the file
        Path f = dir.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0);
        Files.write(f, b.array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
        assertEquals(f + ": header length 18446744073709551615 exceeds the limit of " + SafeTensors.MAX_HEADER_BYTES
                + " bytes", e.getMessage());
        // a file larger than the network's weights can take is refused before it is read
        Path big = dir.resolve("big.safetensors");
        try (RandomAccessFile r = new RandomAccessFile(big.toFile(), "rw")) {
            r.setLength(SafeTensors.MAX_HEADER_BYTES + 1000);
        }
        e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, big));
        assertTrue(e.getMessage().startsWith(big + ": the file is " + (SafeTensors.MAX_HEADER_BYTES + 1000)
                + " bytes, more than the "), e.getMessage());
    }

    @Test
    void unusableBufferValuesAreRefusedAndRolledBack() throws Exception {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("bn.weight", Tensor.of(new float[]{2, 3}, 2));
        s.put("bn.bias", Tensor.of(new float[]{1, 1}, 2));
        s.put("bn.running_mean", Tensor.of(new float[]{0.5f, 0.5f}, 2));
        s.put("bn.running_var", Tensor.of(new float[]{1, -1}, 2));
        Path f = write("bn.safetensors", s);
        Sequential net = new Sequential(new dev.nabla.nn.BatchNorm()).build(2);
        List<float[]> before = weights(net);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchWeights.load(net, f));
        assertEquals(f + ": layer '0': buffer 'running_var' holds -1.0 at element 1; a variance cannot be negative",
                e.getMessage());
        assertUnchanged(before, net);
        assertArrayEquals(new float[]{1, 1}, net.namedBuffers().get("0.running_var").toArray());
    }

    @Test
    void networksThatCannotBeImportedSaySo() {
        Sequential unbuilt = new Sequential(new Dense(2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TorchWeights.load(unbuilt, dir.resolve("none.safetensors")));
        assertTrue(e.getMessage().startsWith("layer '0' dense(units=2"), e.getMessage());
        Sequential norm = new Sequential(new Normalization(new float[]{0}, new float[]{1}), new Dense(1)).build(1);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> TorchWeights.load(norm, dir.resolve("none.safetensors")));
        assertTrue(e2.getMessage().contains("has weights ('mean') but no PyTorch layout"), e2.getMessage());
    }

    private Path raw(String name, String header, int dataBytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes(header, new byte[dataBytes]));
        return p;
    }

    private static byte[] bytes(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = v[r * cols + c];
        return t;
    }
}
