package dev.nabla.onnx;

import dev.nabla.io.proto.ProtoWriter;
import dev.nabla.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph being written: the nodes, the constant tensors (initializers), the inputs and outputs, with a
 * symbolic batch axis ({@code dim_param "batch"}) in front of every input's and output's per-sample shape. A
 * {@link LayerTranslation} adds its layer's nodes with {@link #op} and its weights with {@link #weight} or
 * {@link #constant}; names are made unique here. {@link #toModel} writes the ModelProto: IR version 8, opset 17.
 *
 * <p>Field numbers follow {@code onnx.proto} (the format's specification, onnx/onnx on GitHub).
 */
public final class OnnxGraph {

    /** The IR version and default-domain opset written. */
    public static final int IR_VERSION = 8;
    public static final int OPSET = 17;

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> reserved = new HashSet<>();
    private final Map<Tensor, String> weights = new IdentityHashMap<>();

    /** A name not used yet in this graph, from {@code hint} ({@code dense}, {@code dense_1}, ...). */
    public String fresh(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9_./:-]", "_");
        String name = base;
        for (int i = 1; !names.add(name); i++) name = base + "_" + i;
        return name;
    }

    /**
     * Adds a node of the default domain with one output and returns that output's name. Attribute values: Integer or
     * Long (INT), Float or Double (FLOAT), String, int[] or long[] (INTS), float[] (FLOATS), String[] (STRINGS).
     */
    public String op(String opType, List<String> in, Map<String, ?> attributes) {
        return op(opType, in, attributes, 1)[0];
    }

    /** A node with {@code outputs} outputs (LSTM's Y and Y_h, ...); returns their names in order. */
    public String[] op(String opType, List<String> in, Map<String, ?> attributes, int outputs) {
        String[] out = new String[outputs];
        for (int k = 0; k < outputs; k++) out[k] = fresh(opType.toLowerCase(java.util.Locale.ROOT));
        ProtoWriter node = new ProtoWriter();
        for (String i : in) node.string(1, i);
        for (String o : out) node.string(2, o);
        node.string(3, out[0]);
        node.string(4, opType);
        for (Map.Entry<String, ?> a : attributes.entrySet()) node.message(5, attribute(a.getKey(), a.getValue()));
        nodes.add(node);
        return out;
    }

    /** {@link #op(String, List, Map)} without attributes. */
    public String op(String opType, String... in) {
        return op(opType, List.of(in), Map.of());
    }

    /** Attributes in the order given, e.g. {@code attrs("axis", 1, "epsilon", 1e-5f)}. */
    public static Map<String, Object> attrs(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static ProtoWriter attribute(String name, Object v) {
        ProtoWriter a = new ProtoWriter().string(1, name);
        switch (v) {
            case Integer i -> a.int64(3, i).int64(20, 2);
            case Long l -> a.int64(3, l).int64(20, 2);
            case Float f -> a.float32(2, f).int64(20, 1);
            case Double d -> a.float32(2, d.floatValue()).int64(20, 1);
            case String s -> a.string(4, s).int64(20, 3);
            case int[] ints -> {
                long[] l = new long[ints.length];
                for (int k = 0; k < ints.length; k++) l[k] = ints[k];
                a.packedInt64(8, l).int64(20, 7);
            }
            case long[] l -> a.packedInt64(8, l).int64(20, 7);
            case float[] f -> a.packedFloat(7, f).int64(20, 6);
            case String[] strings -> {
                for (String str : strings) a.string(9, str);
                a.int64(20, 8);
            }
            default -> throw new IllegalArgumentException("onnx attribute '" + name + "': unsupported value " + v.getClass().getSimpleName());
        }
        return a;
    }

    /** A float constant of shape {@code dims}; returns its name. */
    public String constant(String hint, float[] values, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) raw.putFloat(v);
        return initializer(hint, FLOAT, raw.array(), dims);
    }

    /** An int64 constant of shape {@code dims} (shapes, axes, indices); returns its name. */
    public String constantInt64(String hint, long[] values, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) raw.putLong(v);
        return initializer(hint, INT64, raw.array(), dims);
    }

    /** A float scalar constant (shape {@code []}), for broadcasting arithmetic. */
    public String scalar(String hint, float value) {
        return constant(hint, new float[]{value});
    }

    /** A weight tensor as a constant of its own shape; the same tensor (a shared layer) is written once. */
    public String weight(Tensor t, String hint) {
        String known = weights.get(t);
        if (known != null) return known;
        String name = constant(hint, t.contiguous().toArray(), t.shape());
        weights.put(t, name);
        return name;
    }

    private String initializer(String hint, int type, byte[] raw, int[] dims) {
        String name = fresh(hint);
        ProtoWriter t = new ProtoWriter();
        long[] d = new long[dims.length];
        for (int i = 0; i < dims.length; i++) d[i] = dims[i];
        if (d.length > 0) t.packedInt64(1, d);
        t.int64(2, type).string(8, name).bytes(9, raw);
        initializers.add(t);
        return name;
    }

    /** Declares a float graph input of {@code [batch, sampleShape...]}; returns its name. */
    public String input(String name, int[] sampleShape) {
        if (!names.add(name)) throw new IllegalArgumentException("onnx export: two values are named '" + name + "'");
        inputs.add(valueInfo(name, sampleShape));
        return name;
    }

    /** Keeps {@code name} for a graph output declared later with {@link #output}, so no node takes it meanwhile. */
    public void reserve(String name) {
        if (!names.add(name)) throw new IllegalArgumentException("onnx export: two values are named '" + name + "'");
        reserved.add(name);
    }

    /** Makes {@code value} a graph output called {@code name}, of {@code [batch, sampleShape...]}. */
    public void output(String value, String name, int[] sampleShape) {
        if (!reserved.remove(name) && !names.add(name)) throw new IllegalArgumentException("onnx export: two values are named '" + name + "'");
        ProtoWriter node = new ProtoWriter().string(1, value).string(2, name).string(3, name).string(4, "Identity");
        nodes.add(node);
        outputs.add(valueInfo(name, sampleShape));
    }

    private static ProtoWriter valueInfo(String name, int[] sampleShape) {
        ProtoWriter shape = new ProtoWriter();
        shape.message(1, new ProtoWriter().string(2, "batch"));
        for (int d : sampleShape) shape.message(1, new ProtoWriter().int64(1, d));
        ProtoWriter tensorType = new ProtoWriter().int64(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** The whole ModelProto: IR version 8, the default domain at opset 17, this graph. */
    public byte[] toModel(String graphName, String producerVersion) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : nodes) graph.message(1, n);
        graph.string(2, graphName);
        for (ProtoWriter t : initializers) graph.message(5, t);
        for (ProtoWriter i : inputs) graph.message(11, i);
        for (ProtoWriter o : outputs) graph.message(12, o);
        ProtoWriter model = new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, "nabla")
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
        return model.toBytes();
    }
}
