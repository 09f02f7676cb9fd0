package dev.nabla.data;

import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;

/**
 * The page decompressors {@link ParquetSource} reads with, in pure Java (Snappy, the codec Spark and DuckDB write by
 * default, by {@link SnappyPages}; Zstandard and LZ4 by aircompressor; gzip by the JDK) instead of parquet-java's Hadoop codecs: no Hadoop configuration, no native library that a corrupt
 * page could crash. The size a page claims is checked before it is allocated ({@link #MAX_PAGE_BYTES}, the heap),
 * and a page that does not decompress to exactly that size is an error.
 */
final class ParquetCodecs implements CompressionCodecFactory {

    /** Largest decompressed page: parquet writers make pages of about 1 MiB; a claim past this is corruption. */
    static final int MAX_PAGE_BYTES = 1 << 30;

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Page(null, codec);
            case SNAPPY -> new Page(null, codec);
            case ZSTD -> new Page(new ZstdDecompressor(), codec);
            case LZ4_RAW -> new Page(new Lz4Decompressor(), codec);
            case GZIP -> new Page(null, codec);
            default -> throw new UnsupportedOperationException("pages compressed with " + codec
                    + " are not read (Snappy, Zstandard, gzip, LZ4_RAW and uncompressed are)");
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("Nabla reads Parquet files, it does not write them");
    }

    @Override
    public void release() {
    }

    private record Page(Decompressor decompressor, CompressionCodecName codec) implements BytesInputDecompressor {

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            byte[] in = bytes.toByteArray();
            return BytesInput.from(decompress(in, 0, in.length, uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
            byte[] in = new byte[compressedSize];
            input.duplicate().get(in);
            output.put(decompress(in, 0, compressedSize, uncompressedSize));
        }

        private byte[] decompress(byte[] in, int offset, int length, int size) throws IOException {
            if (size < 0 || size > MAX_PAGE_BYTES || size > HeapLimit.maxHeap() / 4) {
                throw new IOException("a page claims " + size + " bytes decompressed (corrupt file?)");
            }
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                if (length != size) throw new IOException("an uncompressed page of " + length + " bytes claims " + size);
                return in;
            }
            byte[] out = new byte[size];
            int n;
            if (codec == CompressionCodecName.SNAPPY) {
                SnappyPages.decompress(in, offset, length, out);
                n = size;
            } else if (codec == CompressionCodecName.GZIP) {
                n = gunzip(in, offset, length, out);
            } else {
                try {
                    n = decompressor.decompress(in, offset, length, out, 0, size);
                } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
                    throw new IOException("a " + codec + " page does not decompress (" + e.getMessage() + ")");
                }
            }
            if (n != size) throw new IOException("a " + codec + " page decompresses to " + n + " bytes, but claims " + size);
            return out;
        }

        private static int gunzip(byte[] in, int offset, int length, byte[] out) throws IOException {
            try (InputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(in, offset, length))) {
                int n = z.readNBytes(out, 0, out.length);
                if (z.read() >= 0) throw new IOException("a GZIP page decompresses to more than it claims");
                return n;
            }
        }

        @Override
        public void release() {
        }
    }
}
