package dev.nabla.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180): comma-separated fields, fields in double quotes may hold commas, line
 * breaks and doubled quotes ({@code ""}); LF, CRLF and CR line ends; blank lines are skipped; a leading UTF-8 byte
 * order mark is ignored. Tracks the line on which each record starts, for error messages.
 */
final class CsvParser implements Closeable {

    private final Reader in;
    private final String file;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder field = new StringBuilder();
    private int pos;
    private int len;
    private int line = 1;
    private int recordLine;
    private boolean started;

    /** {@code file} names the input in error messages. */
    CsvParser(Reader in, String file) {
        this.in = in;
        this.file = file;
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
            if (c == ',') {
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
        while (c == ' ' || c == '\t') {
            field.append((char) c);
            c = read();
        }
        if (c != '"') {
            while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                field.append((char) c);
                c = read();
            }
            fields.add(field.toString());
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
            field.append((char) c);
        }
        c = read();
        while (c == ' ' || c == '\t') c = read();
        if (c >= 0 && c != ',' && c != '\n' && c != '\r') {
            throw new DataException(file + " line " + line + ": unexpected '" + (char) c
                    + "' after a closing quote (write a quote inside a quoted field as \"\")");
        }
        fields.add(field.toString());
        return c;
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
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
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
