package dev.nabla.nn;

import java.util.List;
import java.util.Locale;

/** The layer table of {@code summary()}, like Keras': one row per layer, then the parameter total. */
final class Summaries {

    private Summaries() {
    }

    /** A module's kind for a summary row, like Keras' "(Conv2D)": the layer type, or sequential/graph/the class. */
    static String kind(Module m) {
        return m instanceof Layer l ? l.type() : m.describe();
    }

    static String table(String[] header, List<String[]> rows, long total, boolean built) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) width[c] = header[c].length();
        for (String[] r : rows) for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder sb = new StringBuilder();
        int all = 0;
        for (int w : width) all += w + 2;
        appendRow(sb, header, width);
        sb.append("-".repeat(all)).append('\n');
        for (String[] r : rows) appendRow(sb, r, width);
        sb.append("-".repeat(all)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        if (!built) sb.append("(not built yet: shapes and counts appear once the model has seen its input shape)\n");
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            boolean last = c == cells.length - 1;
            String cell = cells[c];
            // the last column (counts) is right-aligned
            line.append(last ? " ".repeat(width[c] - cell.length()) + cell : cell + " ".repeat(width[c] - cell.length() + 2));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
