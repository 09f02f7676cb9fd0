package dev.nabla.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.nabla.io.Json.MAX_DEPTH;

/**
 * The writer behind {@link Json#write(Object, boolean)}: walks a plain-Java tree into Jackson's generator
 * ({@link JsonFactories#TREE}), compact or pretty, refusing what JSON cannot hold (NaN, infinities, non-String keys,
 * other types, unpaired surrogates, nesting beyond {@value Json#MAX_DEPTH}) with the path of the bad value.
 */
final class JsonWriter {

    private JsonWriter() {
    }

    static String write(Object value, boolean pretty) {
        StringBuilderWriter out = new StringBuilderWriter();
        try (JsonGenerator g = JsonFactories.TREE.createGenerator(out)) {
            Indenter indenter = pretty ? new Indenter() : null;
            if (indenter != null) g.setPrettyPrinter(indenter);
            new TreeWriter(g, indenter).value(value);
        } catch (IOException e) {
            // a StringBuilder cannot fail to take characters, and the tree writer checks every value first
            throw new JsonException("JSON: " + e.getMessage());
        }
        return out.sb.toString();
    }

    /** Walks a plain-Java tree into a generator, checking what JSON cannot hold and keeping the path for errors. */
    private static final class TreeWriter {
        private final JsonGenerator g;
        private final Indenter indenter;
        private int depth; // containers open
        // the path to the value being written, for errors: at each open container (1-based) the key, or when that is
        // null the index, or when that is -1 nothing yet
        private final String[] keys = new String[MAX_DEPTH + 2];
        private final int[] indices = new int[MAX_DEPTH + 2];

        TreeWriter(JsonGenerator g, Indenter indenter) {
            this.g = g;
            this.indenter = indenter;
        }

        void value(Object v) throws IOException {
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                string(s);
                g.writeString(s);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Number n) {
                number(n);
            } else if (v instanceof Map<?, ?> m) {
                object(m);
            } else if (v instanceof List<?> l) {
                array(l);
            } else if (v instanceof Object[] a) {
                array(Arrays.asList(a));
            } else if (v instanceof float[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (int i = 0; i < a.length; i++) {
                    at(i);
                    floating(a[i]); // widened exactly: see Json's class comment
                }
                g.writeEndArray();
                depth--;
            } else if (v instanceof double[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (int i = 0; i < a.length; i++) {
                    at(i);
                    floating(a[i]);
                }
                g.writeEndArray();
                depth--;
            } else if (v instanceof int[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (int x : a) g.writeNumber(x);
                g.writeEndArray();
                depth--;
            } else if (v instanceof long[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (long x : a) g.writeNumber(x);
                g.writeEndArray();
                depth--;
            } else {
                throw error("cannot write a " + v.getClass().getName() + " as JSON");
            }
        }

        private void number(Number n) throws IOException {
            if (n instanceof Double || n instanceof Float) {
                floating(n.doubleValue());
            } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
                g.writeNumber(n.longValue());
            } else if (n instanceof BigInteger b) {
                g.writeNumber(b);
            } else if (n instanceof BigDecimal bd) {
                g.writeNumber(bd); // toString, which is valid JSON ("1E+3" included)
            } else {
                // AtomicLong, custom Numbers...: their text form is not guaranteed to be JSON
                throw error("cannot write a " + n.getClass().getName() + " as JSON");
            }
        }

        private void floating(double d) throws IOException {
            if (!Double.isFinite(d)) throw error("JSON cannot represent " + d);
            // Double.toString: the shortest text that parses back to the same double (JDK 19+), and its forms
            // ("1.0", "1.0E-5", "-0.0") are all valid JSON numbers
            g.writeNumber(d);
        }

        private void object(Map<?, ?> m) throws IOException {
            open(false);
            g.writeStartObject(m);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    keys[depth] = null;
                    indices[depth] = -1;
                    throw error("object key " + e.getKey() + " is not a String");
                }
                keys[depth] = key;
                string(key);
                g.writeFieldName(key);
                value(e.getValue());
            }
            g.writeEndObject();
            depth--;
        }

        private void array(List<?> l) throws IOException {
            // arrays of scalars (shapes, offsets) read best on one line
            boolean inline = true;
            if (indenter != null) {
                for (Object v : l) {
                    if (isContainer(v)) {
                        inline = false;
                        break;
                    }
                }
            }
            open(inline);
            g.writeStartArray(l, l.size());
            int i = 0;
            for (Object v : l) {
                at(i++);
                value(v);
            }
            g.writeEndArray();
            depth--;
        }

        private static boolean isContainer(Object v) {
            return v instanceof Map<?, ?> || v instanceof List<?> || v instanceof Object[] || v instanceof float[]
                    || v instanceof double[] || v instanceof int[] || v instanceof long[];
        }

        /** Enters a container (an array laid out on one line when {@code inline} and pretty). */
        private void open(boolean inline) {
            if (depth + 1 > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels (a cyclic structure?)");
            depth++;
            keys[depth] = null;
            indices[depth] = -1;
            if (indenter != null) indenter.nextArrayInline = inline;
        }

        private void at(int index) {
            keys[depth] = null;
            indices[depth] = index;
        }

        private void string(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a proper pair: written as is, UTF-8 encodes it
                    continue;
                }
                // would become '?' in UTF-8 and could never be read back: refuse instead of corrupting
                throw error("string has an unpaired surrogate at index " + i);
            }
        }

        private JsonException error(String what) {
            StringBuilder p = new StringBuilder("$");
            for (int d = 1; d <= depth; d++) {
                if (keys[d] != null) p.append('.').append(keys[d]);
                else if (indices[d] >= 0) p.append('[').append(indices[d]).append(']');
            }
            return new JsonException("JSON: " + what + " (at " + p + ")");
        }
    }

    /**
     * The pretty layout: two spaces per level, {@code "key": value}, an object's entries and an array of containers
     * one per line, an array of scalars on one line ({@code [3, 2]}), empty containers as {@code {}} and {@code []}.
     * One instance per written document: it keeps the open containers' layout.
     */
    private static final class Indenter implements PrettyPrinter {
        private static final char[] NEWLINE_AND_SPACES = ("\n" + " ".repeat(2 * (MAX_DEPTH + 1))).toCharArray();

        private final boolean[] inline = new boolean[MAX_DEPTH + 2];
        private int level;
        boolean nextArrayInline;

        private void newline(JsonGenerator g, int depth) throws IOException {
            g.writeRaw(NEWLINE_AND_SPACES, 0, 1 + 2 * depth);
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
            // one value per document
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            inline[++level] = false;
            g.writeRaw('{');
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g, level);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g, level);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries > 0) newline(g, level - 1);
            level--;
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            inline[++level] = nextArrayInline;
            g.writeRaw('[');
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (!inline[level]) newline(g, level);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            if (inline[level]) {
                g.writeRaw(", ");
            } else {
                g.writeRaw(',');
                newline(g, level);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (!inline[level] && values > 0) newline(g, level - 1);
            level--;
            g.writeRaw(']');
        }
    }

    /** A Writer into a StringBuilder, without StringWriter's locking. */
    private static final class StringBuilderWriter extends Writer {
        final StringBuilder sb = new StringBuilder(256);

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
