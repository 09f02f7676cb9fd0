package dev.nabla.cli;

/**
 * Text from data or model files made safe to print on a terminal: control characters (C0, DEL, C1) become visible
 * escapes ({@code \x1b}), so that a class name or file name holding an ANSI sequence cannot retitle the terminal,
 * move the cursor or hide the rest of the line.
 */
final class Printable {

    private Printable() {
    }

    /** {@code s} with every control character written as {@code \xNN} (and {@code \\} for a backslash before one). */
    static String of(String s) {
        if (s == null) return null;
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
    }
}
