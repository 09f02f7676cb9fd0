package dev.nabla.io.proto;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One protocol-buffers message, written field by field by number: the fields of ONNX models ({@code dev.nabla.onnx})
 * and TensorBoard event files ({@code dev.nabla.tensorboard}). The encoding is protobuf-java's
 * {@link CodedOutputStream}; this class only adds nested messages and packed repeated fields in the builder style the
 * writers use, without classes generated from {@code .proto} files (that needs the protoc binary, which an offline
 * build cannot fetch). ONNX Runtime reading every exported model back, and an independent reader of event files, are
 * the checks that the fields are right.
 *
 * <pre>{@code
 * byte[] value = new ProtoWriter().string(1, "loss").float32(2, 0.25f).toBytes();
 * }</pre>
 */
public final class ProtoWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    /** An int64/int32/enum field. */
    public ProtoWriter int64(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A float field. */
    public ProtoWriter float32(int field, float value) {
        try {
            out.writeFloat(field, value);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A double field. */
    public ProtoWriter float64(int field, double value) {
        try {
            out.writeDouble(field, value);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A string field (UTF-8). */
    public ProtoWriter string(int field, String value) {
        try {
            out.writeString(field, value);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A bytes field, or a nested message already written. */
    public ProtoWriter bytes(int field, byte[] value) {
        try {
            out.writeByteArray(field, value);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A nested message. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toBytes());
    }

    /** A repeated int64 field, packed (proto3's default encoding for repeated scalars). */
    public ProtoWriter packedInt64(int field, long[] values) {
        int size = 0;
        for (long v : values) size += CodedOutputStream.computeInt64SizeNoTag(v);
        try {
            packedHeader(field, size);
            for (long v : values) out.writeInt64NoTag(v);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A repeated float field, packed. */
    public ProtoWriter packedFloat(int field, float[] values) {
        try {
            packedHeader(field, values.length * Float.BYTES);
            for (float v : values) out.writeFloatNoTag(v);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** A repeated double field, packed. */
    public ProtoWriter packedDouble(int field, double[] values) {
        try {
            packedHeader(field, values.length * Double.BYTES);
            for (double v : values) out.writeDoubleNoTag(v);
        } catch (IOException e) {
            throw inMemory(e);
        }
        return this;
    }

    /** The message written so far. */
    public byte[] toBytes() {
        try {
            out.flush();
        } catch (IOException e) {
            throw inMemory(e);
        }
        return bytes.toByteArray();
    }

    private void packedHeader(int field, int size) throws IOException {
        out.writeTag(field, 2); // length-delimited
        out.writeUInt32NoTag(size);
    }

    // a ByteArrayOutputStream does not fail; protobuf's API declares it anyway
    private static UncheckedIOException inMemory(IOException e) {
        return new UncheckedIOException("writing a protocol-buffers message in memory", e);
    }
}
