package dev.nabla.io.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffers wire format, the few parts Nabla's files need: varints, 32- and 64-bit floats,
 * length-delimited bytes and nested messages, each field written by its number. It writes ONNX models
 * ({@code dev.nabla.onnx}) and TensorBoard event files ({@code dev.nabla.tensorboard}).
 *
 * <p>Written by hand rather than with protobuf-java so that nabla-core keeps its short dependency list: generating
 * classes from {@code onnx.proto} needs the protoc binary, which an offline build cannot fetch, and the handful of
 * fields below is all the writers need (ONNX Runtime reading every exported model back, and an independent reader of
 * event files, are the checks that they are right). Measured: protobuf-java 4.28-4.32 is a 1.84-1.88 MB jar, 2.4
 * times nabla-core's own 0.78 MB, for these 5 wire types.
 */
public final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int64/int32/enum field. */
    public ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    /** A float field. */
    public ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        fixed32(Float.floatToRawIntBits(value));
        return this;
    }

    /** A double field. */
    public ProtoWriter float64(int field, double value) {
        tag(field, FIXED64);
        fixed64(Double.doubleToRawLongBits(value));
        return this;
    }

    /** A string field (UTF-8). */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field, or a nested message already written. */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A nested message. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toBytes());
    }

    /** A repeated int64 field, packed (proto3's default encoding for repeated scalars). */
    public ProtoWriter packedInt64(int field, long[] values) {
        ProtoWriter packed = new ProtoWriter();
        for (long v : values) packed.varint(v);
        return bytes(field, packed.toBytes());
    }

    /** A repeated float field, packed. */
    public ProtoWriter packedFloat(int field, float[] values) {
        ProtoWriter packed = new ProtoWriter();
        for (float v : values) packed.fixed32(Float.floatToRawIntBits(v));
        return bytes(field, packed.toBytes());
    }

    /** A repeated double field, packed. */
    public ProtoWriter packedDouble(int field, double[] values) {
        ProtoWriter packed = new ProtoWriter();
        for (double v : values) packed.fixed64(Double.doubleToRawLongBits(v));
        return bytes(field, packed.toBytes());
    }

    /** The message written so far. */
    public byte[] toBytes() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void fixed32(int bits) {
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
    }

    private void fixed64(long bits) {
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
    }

    private void varint(long v) {
        // negative int64 values take ten bytes, as protobuf writes them
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
