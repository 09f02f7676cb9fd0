package dev.nabla.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Locale;

/**
 * Bytes decoded in one encoding with errors reported, never replaced: replacing would turn {@code café} in UTF-8 and
 * {@code caf\u00e9} in Latin-1 into the same {@code caf?} and merge two classes without a word. Unlike an
 * {@link java.io.InputStreamReader} with a reporting decoder, it hands out every character before the bad bytes
 * first and fails only on the read that reaches them, so a caller counting lines knows on which line they are.
 */
final class StrictDecoder extends Reader {

    /** Bytes that are not text in the decoder's encoding. */
    static final class BadText extends IOException {
        BadText(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private boolean eof;
    private boolean done;
    private String pending;

    StrictDecoder(InputStream in, Charset encoding) {
        this.in = in;
        this.decoder = encoding.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (pending != null) throw new BadText(pending);
        if (done) return -1;
        if (len == 0) return 0;
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (out.position() == off) {
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                String message = describe(r);
                if (out.position() > off) {
                    pending = message;
                    break;
                }
                throw new BadText(message);
            }
            if (r.isOverflow()) break;
            if (eof) {
                decoder.flush(out);
                done = true;
                break;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) eof = true;
            else bytes.position(bytes.position() + n);
            bytes.flip();
        }
        int n = out.position() - off;
        return n == 0 && done ? -1 : n;
    }

    private String describe(CoderResult r) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < r.length() && bytes.position() + i < bytes.limit(); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes.get(bytes.position() + i) & 0xFF));
        }
        String name = decoder.charset().name();
        return "not valid " + name + " text (byte" + (r.length() == 1 ? " " : "s ") + hex + ")"
                + (name.equals("UTF-8") ? "; if the file is in another encoding, name it (e.g. --encoding windows-1252)" : "");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
