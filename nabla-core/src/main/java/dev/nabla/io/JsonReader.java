package dev.nabla.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.nabla.io.Json.MAX_DEPTH;
import static dev.nabla.io.Json.MAX_NUMBER_LENGTH;
import static dev.nabla.io.Json.abbreviate;

/**
 * The reader behind {@link Json#parse(String, int)}: Jackson's streaming parser ({@link JsonFactories#TREE}) turned
 * into the plain-Java tree, with the strictness checks Jackson does not make, and Jackson's errors translated into a
 * {@link JsonException} that names the line, column and offset.
 */
final class JsonReader {

    private JsonReader() {
    }

    static Object parse(String text, int maxDepth) {
        if (text == null) throw new NullPointerException("text");
        if (maxDepth < 0 || maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth " + maxDepth + " is outside [0, " + MAX_DEPTH + "]");
        }
        JsonParser p = null;
        try {
            p = JsonFactories.TREE.createParser(text);
            TreeReader reader = new TreeReader(p, text, maxDepth);
            JsonToken first = p.nextToken();
            if (first == null) throw syntaxError(text, "unexpected end of input, expected a value", text.length(), null);
            Object value = reader.value(first, 0);
            reader.expectEnd();
            return value;
        } catch (JacksonException e) {
            throw translate(e, p, text);
        } catch (IOException e) {
            // a String source cannot fail to read; kept so that nothing but JsonException escapes
            throw new JsonException("JSON: " + e.getMessage(), 0, e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // closing a String source
                }
            }
        }
    }

    /** Builds the plain-Java tree from Jackson's tokens, with the checks Jackson does not make. */
    private static final class TreeReader {
        private final JsonParser p;
        private final String text;
        private final int maxDepth;

        TreeReader(JsonParser p, String text, int maxDepth) {
            this.p = p;
            this.text = text;
            this.maxDepth = maxDepth;
        }

        /** The value that starts with the current token {@code t}, inside {@code depth} containers. */
        Object value(JsonToken t, int depth) throws IOException {
            switch (t) {
                case START_OBJECT: {
                    checkDepth(depth + 1);
                    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
                    JsonToken k;
                    while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        checkSurrogates(key);
                        if (map.containsKey(key)) throw error("duplicate key \"" + abbreviate(key) + "\"", tokenStart());
                        map.put(key, value(p.nextToken(), depth + 1));
                    }
                    if (k != JsonToken.END_OBJECT) throw error("unexpected end of input, expected '}'", text.length());
                    return map;
                }
                case START_ARRAY: {
                    checkDepth(depth + 1);
                    ArrayList<Object> list = new ArrayList<>();
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e == null) throw error("unexpected end of input, expected ']'", text.length());
                        list.add(value(e, depth + 1));
                    }
                    return list;
                }
                case VALUE_STRING: {
                    String s = p.getText();
                    checkSurrogates(s);
                    return s;
                }
                case VALUE_NUMBER_INT:
                    checkNumberLength();
                    if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) return p.getLongValue();
                    return finite(Double.parseDouble(p.getText())); // beyond long: the nearest double
                case VALUE_NUMBER_FLOAT:
                    checkNumberLength();
                    return finite(p.getDoubleValue());
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    return null;
                default:
                    // Jackson reports malformed text itself; this is only reached if a token kind is added
                    throw error("unexpected " + t + ", expected a value", tokenStart());
            }
        }

        /** After the root value: only whitespace may follow. */
        void expectEnd() throws IOException {
            int end = (int) Math.min(p.currentLocation().getCharOffset(), text.length());
            JsonToken next;
            try {
                next = p.nextToken();
            } catch (JacksonException garbage) {
                next = JsonToken.NOT_AVAILABLE;
            }
            if (next == null) return;
            int at = Math.max(end, 0);
            while (at < text.length() && isJsonWhitespace(text.charAt(at))) at++;
            throw error("unexpected " + describe(text, at) + " after the JSON value", at);
        }

        private Double finite(double d) throws IOException {
            if (Double.isInfinite(d)) throw error("number " + abbreviate(p.getText()) + " is out of range", tokenStart());
            return d;
        }

        /** Jackson's own limit counts only some of the characters (not the sign, point or exponent): exact here. */
        private void checkNumberLength() throws IOException {
            int length = p.getTextLength();
            if (length > MAX_NUMBER_LENGTH) {
                throw error("number value length (" + length + ") exceeds the maximum allowed (" + MAX_NUMBER_LENGTH
                        + ")", tokenStart());
            }
        }

        private void checkDepth(int depth) {
            if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels", tokenStart());
        }

        private void checkSurrogates(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw error("unpaired surrogate " + printable(c) + " in string", tokenStart());
            }
        }

        private int tokenStart() {
            return (int) Math.min(Math.max(p.currentTokenLocation().getCharOffset(), 0), text.length());
        }

        private JsonException error(String what, int at) {
            return syntaxError(text, what, at, null);
        }
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** A Jackson parse error as a JsonException: its text tidied up, its place as line, column and offset. */
    private static JsonException translate(JacksonException e, JsonParser p, String text) {
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        long at = -1;
        JsonLocation where = e.getLocation();
        if (where != null) at = where.getCharOffset();
        if (at < 0 && p != null) at = p.currentLocation().getCharOffset(); // constraint errors carry no location
        int offset = (int) Math.min(Math.max(at, 0), text.length());
        // Jackson points just past a bad character between tokens, and at the end of a non-standard token
        if (original.startsWith("Illegal character (") && offset > 0) offset--;
        Matcher token = JacksonMessages.TOKEN_IN_MESSAGE.matcher(original);
        if (token.find() && offset >= token.group(1).length()
                && text.startsWith(token.group(1), offset - token.group(1).length())) {
            offset -= token.group(1).length();
        }
        return syntaxError(text, JacksonMessages.tidy(original), offset, e);
    }

    /** Turning Jackson's parse messages into this class's: only loaded when there is an error to report. */
    private static final class JacksonMessages {
        private static final Pattern CHAR_IN_MESSAGE =
                Pattern.compile("\\('.{1,2}' \\(code (\\d+)(?: / 0x[0-9a-fA-F]+)?\\)\\)");
        private static final Pattern CTRL_IN_MESSAGE = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
        private static final Pattern ENABLE_HINT = Pattern.compile(": enable `[^`]*` to allow");
        private static final Pattern COMMENT_HINT =
                Pattern.compile(" \\(not recognized as one since Feature '[^']*' not enabled for parser\\)");
        private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`");
        private static final Pattern GLUED_END = Pattern.compile("end-of-input(?=[A-Za-z])");
        private static final Pattern UNEXPECTED_CHAR = Pattern.compile("^(Unexpected character [^ :]+): (\\w)");
        private static final Pattern TOKEN_IN_MESSAGE = Pattern.compile("^Non-standard token '([^']*)'");

        /** Jackson's message without its configuration hints and internal detail, in this class's style. */
        private static String tidy(String message) {
            String m = message;
            int marker = m.indexOf(" (start marker at ");
            if (marker >= 0) m = m.substring(0, marker);
            m = ENABLE_HINT.matcher(m).replaceAll("");
            m = COMMENT_HINT.matcher(m).replaceAll("");
            m = CONSTRAINT_SOURCE.matcher(m).replaceAll("");
            m = GLUED_END.matcher(m).replaceAll("end of input: ");
            m = m.replace("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                            "expected a value")
                    .replace("was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                            "expected a value")
                    .replace("was expecting", "expected")
                    .replace("end-of-input", "end of input");
            m = replaceCodes(CTRL_IN_MESSAGE, replaceCodes(CHAR_IN_MESSAGE, m));
            Matcher unexpected = UNEXPECTED_CHAR.matcher(m);
            if (unexpected.find()) {
                m = unexpected.group(1) + ", " + Character.toLowerCase(unexpected.group(2).charAt(0))
                        + m.substring(unexpected.end());
            }
            return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }

        private static String replaceCodes(Pattern pattern, String m) {
            Matcher matcher = pattern.matcher(m);
            StringBuilder sb = new StringBuilder();
            while (matcher.find()) {
                int code = Integer.parseInt(matcher.group(1));
                String shown = code <= Character.MAX_VALUE ? printable((char) code) : String.format("U+%04X", code);
                matcher.appendReplacement(sb, Matcher.quoteReplacement(shown));
            }
            return matcher.appendTail(sb).toString();
        }
    }

    private static JsonException syntaxError(String text, String what, int at, Throwable cause) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(at, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonException("JSON: " + what + " at line " + line + ", column " + (at - lineStart + 1)
                + " (offset " + at + ")", at, cause);
    }

    private static String describe(String text, int at) {
        if (at >= text.length()) return "end of input";
        return "character " + printable(text.charAt(at));
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
