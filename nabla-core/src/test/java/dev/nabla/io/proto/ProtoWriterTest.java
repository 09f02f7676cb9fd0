package dev.nabla.io.proto;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wire bytes of each kind of field, worked out by hand from the protocol-buffers encoding rules. */
class ProtoWriterTest {

    private static String hex(ProtoWriter w) {
        return HexFormat.of().formatHex(w.toBytes());
    }

    @Test
    void scalarsStringsAndMessages() {
        // field 1, varint: tag 0x08; 300 = 0xAC 0x02
        assertEquals("08ac02", hex(new ProtoWriter().int64(1, 300)));
        // a negative int64 takes ten bytes
        assertEquals("10ffffffffffffffffff01", hex(new ProtoWriter().int64(2, -1)));
        // field 2, fixed32: tag 0x15; 0.25f = 0x3E800000 little-endian
        assertEquals("150000803e", hex(new ProtoWriter().float32(2, 0.25f)));
        // field 1, fixed64: tag 0x09; 1.0 = 0x3FF0000000000000 little-endian
        assertEquals("09000000000000f03f", hex(new ProtoWriter().float64(1, 1.0)));
        // field 1, length-delimited: tag 0x0A, length 4, UTF-8
        assertEquals("0a046c6f7373", hex(new ProtoWriter().string(1, "loss")));
        assertEquals("0a03e282ac", hex(new ProtoWriter().string(1, "\u20ac")));
        // field 3 holding the message {1: 300}
        assertEquals("1a0308ac02", hex(new ProtoWriter().message(3, new ProtoWriter().int64(1, 300))));
        // fields in the order written; a field number above 15 takes a two-byte tag
        assertEquals("0801a80102", hex(new ProtoWriter().int64(1, 1).int64(21, 2)));
    }

    @Test
    void packedRepeatedFields() {
        // field 3, length-delimited: 1 (01) and 300 (ac 02) take 3 bytes
        assertEquals("1a0301ac02", hex(new ProtoWriter().packedInt64(3, new long[]{1, 300})));
        assertEquals("12080000803f00000040", hex(new ProtoWriter().packedFloat(2, new float[]{1f, 2f})));
        assertEquals("0a08000000000000f03f", hex(new ProtoWriter().packedDouble(1, new double[]{1.0})));
        assertEquals("0a00", hex(new ProtoWriter().packedDouble(1, new double[0])));
    }
}
