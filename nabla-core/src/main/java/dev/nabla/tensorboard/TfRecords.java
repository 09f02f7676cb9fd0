package dev.nabla.tensorboard;

import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length (uint64, little-endian),
 * the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data (both CRCs uint32,
 * little-endian). The mask (rotate right by 15, add {@code 0xa282ead8}) is TensorFlow's, so that a CRC of data that
 * itself holds CRCs stays useful.
 */
final class TfRecords {

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {
    }

    /** One record holding {@code data}, ready to append to a file. */
    static byte[] frame(byte[] data) {
        byte[] record = new byte[8 + 4 + data.length + 4];
        long length = data.length;
        for (int i = 0; i < 8; i++) record[i] = (byte) (length >>> (8 * i));
        putInt(record, 8, maskedCrc32c(record, 0, 8));
        System.arraycopy(data, 0, record, 12, data.length);
        putInt(record, 12 + data.length, maskedCrc32c(data, 0, data.length));
        return record;
    }

    /** The masked CRC-32C (Castagnoli) of {@code length} bytes from {@code offset}. */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
