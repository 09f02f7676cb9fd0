package dev.nabla.data;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * How a CSV file's bytes become fields: its text encoding (UTF-8 unless told; bytes that are not valid in it are an
 * error naming the line, never replaced) and its delimiter ({@code null}: detected from the header line, the most
 * frequent of comma, semicolon and tab outside quotes, comma on a tie, as Python's {@code csv.Sniffer} users expect).
 * A property of the file, not of a model: a model trained on a semicolon-separated Latin-1 file reads a comma-separated
 * UTF-8 one as well, so nothing of it is saved in the model.
 *
 * @param encoding  the text encoding
 * @param delimiter the field separator, or null to detect it
 */
public record CsvFormat(Charset encoding, Character delimiter) {

    /** UTF-8, delimiter detected. */
    public static final CsvFormat DEFAULT = new CsvFormat(StandardCharsets.UTF_8, null);

    public CsvFormat {
        if (encoding == null) throw new IllegalArgumentException("encoding: must not be null");
        if (delimiter != null && (delimiter == '"' || delimiter == '\n' || delimiter == '\r')) {
            throw new IllegalArgumentException("delimiter: a quote or line break cannot separate fields");
        }
    }

    /** The same with another encoding. */
    public CsvFormat withEncoding(Charset value) {
        return new CsvFormat(value, delimiter);
    }

    /** The same with another delimiter (null: detect). */
    public CsvFormat withDelimiter(Character value) {
        return new CsvFormat(encoding, value);
    }

    /**
     * An encoding by name as Java and Python spell them ({@code utf-8}, {@code latin-1}, {@code iso-8859-1},
     * {@code windows-1252}, {@code cp1252}, ...).
     *
     * @throws IllegalArgumentException naming the encoding when it is unknown
     */
    public static Charset encoding(String name) {
        String n = name.strip();
        String k = n.toLowerCase(Locale.ROOT).replace('_', '-');
        // Python's spellings that Java does not know
        if (k.equals("latin-1") || k.equals("latin1")) n = "ISO-8859-1";
        else if (k.matches("cp125[0-8]")) n = "windows-" + k.substring(2);
        else if (k.equals("utf-8-sig") || k.equals("utf8")) n = "UTF-8";
        try {
            return Charset.forName(n);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unknown encoding '" + name + "' (e.g. utf-8, latin-1, windows-1252)");
        }
    }

    /**
     * A delimiter as written on a command line: one character, or {@code \t} / {@code tab} for a tab.
     *
     * @throws IllegalArgumentException when it is none of these
     */
    public static char delimiter(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("\\t") || t.equals("tab") || t.equals("\t")) return '\t';
        if (t.equals("semicolon")) return ';';
        if (t.equals("comma")) return ',';
        if (text.length() != 1) {
            throw new IllegalArgumentException("'" + text + "' is not one character (e.g. ';', '|', or \\t for a tab)");
        }
        char c = text.charAt(0);
        if (c == '"' || c == '\n' || c == '\r') throw new IllegalArgumentException("a quote or line break cannot separate fields");
        return c;
    }

    /** The delimiter of the first line in {@code buf[from, to)}: the most frequent of {@code , ; \t} outside quotes. */
    static char detect(char[] buf, int from, int to) {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            char c = buf[i];
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c == '\n' || c == '\r') break;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
        }
        if (semicolons > commas && semicolons >= tabs) return ';';
        if (tabs > commas && tabs > semicolons) return '\t';
        return ',';
    }
}
