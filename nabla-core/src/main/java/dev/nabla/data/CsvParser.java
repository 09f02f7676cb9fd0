package dev.nabla.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180): fields separated by a delimiter (a comma unless told, or detected from
 * the header line: see {@link CsvFormat}), fields in double quotes may hold delimiters, line breaks and doubled quotes
 * ({@code ""}); LF, CRLF and CR line ends; blank lines are skipped; a leading byte order mark is ignored. Tracks the
 * line on which each record starts, for error messages; read from bytes, text that is not valid in the file's
 * encoding is an error naming that line.
 */
final class CsvParser implements Closeable {

    /**
     * Longest field, in characters: a file that is not CSV (or one quote never closed) would otherwise grow one field
     * to the size of the file, and a file of gigabytes to an OutOfMemoryError. Text fields of whole documents fit.
     */
    static final int MAX_FIELD_CHARS = 10_000_000;

    /** Most fields in one record: far more columns than any table has, and a bound on what one line can allocate. */
    static final int MAX_FIELDS = 1_000_000;

    private final Reader in;
    private final String file;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder field = new StringBuilder();
    private int pos;
    private int len;
    private int line = 1;
    private int recordLine;
    private boolean started;
    private char delimiter;
    private final boolean detect;

    /** Comma-separated text; {@code file} names the input in error messages. */
    CsvParser(Reader in, String file) {
        this.in = in;
        this.file = file;
        this.delimiter = ',';
        this.detect = false;
    }

    /**
     * The bytes of {@code in} decoded strictly in {@code encoding}; {@code delimiter} null detects {@code ,}, {@code ;}
     * or tab from the first line.
     */
    CsvParser(InputStream in, Charset encoding, Character delimiter, String file) {
        this.in = new StrictDecoder(in, encoding);
        this.file = file;
        this.delimiter = delimiter == null ? ',' : delimiter;
        this.detect = delimiter == null;
    }

    /** The delimiter in use (after the first record, the detected one). */
    char delimiter() {
        return delimiter;
    }

    /** The line (1-based) on which the record last returned by {@link #next} starts. */
    int recordLine() {
        return recordLine;
    }

    /** Reads the next record into {@code fields} (cleared first); false at the end of the input. */
    boolean next(List<String> fields) throws IOException {
        fields.clear();
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') read();
            if (detect) delimiter = CsvFormat.detect(buf, pos, len);
        }
        int c;
        while (true) {
            c = read();
            if (c < 0) return false;
            if (c == '\r') {
                if (peek() == '\n') read();
                line++;
            } else if (c == '\n') {
                line++;
            } else {
                break;
            }
        }
        recordLine = line;
        while (true) {
            c = field(c, fields);
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r') {
                if (peek() == '\n') read();
                line++;
            } else if (c == '\n') {
                line++;
            }
            return true;
        }
    }

    /** Reads one field whose first character is {@code c}; returns the character that ended it (-1 at the end). */
    private int field(int c, List<String> fields) throws IOException {
        field.setLength(0);
        // blanks before an opening quote are allowed (", "x"" is common in hand-written files)
        while ((c == ' ' || c == '\t') && c != delimiter) {
            append(c);
            c = read();
        }
        if (c != '"') {
            while (c >= 0 && c != delimiter && c != '\n' && c != '\r') {
                append(c);
                c = read();
            }
            add(fields);
            return c;
        }
        field.setLength(0);
        int startLine = line;
        while (true) {
            c = read();
            if (c < 0) {
                throw new DataException(file + " line " + startLine + ": a quoted field is never closed (missing '\"')");
            }
            if (c == '"') {
                if (peek() != '"') break;
                read();
            } else if (c == '\n' || c == '\r' && peek() != '\n') {
                line++;
            }
            append(c);
        }
        c = read();
        while ((c == ' ' || c == '\t') && c != delimiter) c = read();
        if (c >= 0 && c != delimiter && c != '\n' && c != '\r') {
            throw new DataException(file + " line " + line + ": unexpected '" + (char) c
                    + "' after a closing quote (write a quote inside a quoted field as \"\")");
        }
        add(fields);
        return c;
    }

    private void append(int c) throws DataException {
        if (field.length() == MAX_FIELD_CHARS) {
            throw new DataException(file + " line " + recordLine + ": a field longer than " + MAX_FIELD_CHARS
                    + " characters (is this a CSV file?)");
        }
        field.append((char) c);
    }

    private void add(List<String> fields) throws DataException {
        if (fields.size() == MAX_FIELDS) {
            throw new DataException(file + " line " + recordLine + ": more than " + MAX_FIELDS + " values in one row");
        }
        fields.add(field.toString());
    }

    private int read() throws IOException {
        if (pos == len && !fill()) return -1;
        return buf[pos++];
    }

    private int peek() throws IOException {
        if (pos == len && !fill()) return -1;
        return buf[pos];
    }

    private boolean fill() throws IOException {
        int n;
        try {
            do {
                n = in.read(buf, 0, buf.length);
            } while (n == 0);
        } catch (StrictDecoder.BadText e) {
            // every character before the bad bytes was handed out first, so the line count is where they are
            throw new DataException(file + " line " + line + ": " + e.getMessage());
        }
        if (n < 0) return false;
        pos = 0;
        len = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
