package dev.nabla.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading text strictly as UTF-8: a file in another encoding is an error naming it, never silently garbled. */
final class TextFiles {

    /** Far above any one document; a bigger {@code .txt} is a mistake, not something to read into memory. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private TextFiles() {
    }

    /** The whole file as text, a leading byte order mark dropped. */
    static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) throw new DataException(file + ": " + size + " bytes is too big for one text (at most " + MAX_FILE_BYTES + ")");
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = decoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": is not UTF-8 text (" + firstBadByte(bytes) + "); save it as UTF-8");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** A reader that fails with a {@link CharacterCodingException} on bytes that are not UTF-8. */
    static Reader reader(InputStream in) {
        return new InputStreamReader(in, decoder());
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String firstBadByte(byte[] bytes) {
        CharsetDecoder d = decoder();
        // the longest prefix that decodes (prefixes decode up to the first bad byte, so a binary search finds it)
        int lo = 0;
        int hi = bytes.length;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (decodes(d, bytes, mid)) lo = mid;
            else hi = mid - 1;
        }
        int at = Math.min(lo, bytes.length - 1);
        return String.format(java.util.Locale.ROOT, "byte 0x%02X at offset %d", bytes[at] & 0xFF, at);
    }

    private static boolean decodes(CharsetDecoder d, byte[] bytes, int length) {
        d.reset();
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(length + 1);
        // endOfInput false: a sequence cut at the prefix's end is not an error, only a truly bad byte is
        return !d.decode(in, out, false).isError();
    }
}
