package dev.nabla.data;

import dev.nabla.io.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A numeric feature column: the cell's number; a missing cell gets the training rows' median (scikit-learn's
 * {@code SimpleImputer(strategy="median")}), and, when the column had missing cells in training, a second input that
 * is 1 for a missing cell and 0 otherwise ({@code add_indicator=True}). Without a median (models saved before
 * imputation existed) a missing cell is an error.
 *
 * @param column    the CSV column
 * @param median    what a missing cell becomes; null: missing cells are an error
 * @param indicator whether a missing-indicator input follows the value
 */
public record NumericColumn(String column, Double median, boolean indicator) implements ColumnEncoder {

    static final String TYPE = "numeric";

    @Override
    public int width() {
        return indicator ? 2 : 1;
    }

    @Override
    public List<String> outputNames() {
        return indicator ? List.of(column, column + "_missing") : List.of(column);
    }

    @Override
    public void encode(String cell, float[] out, int offset) {
        String s = cell.strip();
        boolean missing = MissingValues.isMissing(s);
        if (missing) {
            if (median == null) {
                throw new IllegalArgumentException(s.isEmpty() ? "the value is empty (missing values are not supported by this model; fill or drop them first)"
                        : "'" + s + "' is not a number (missing values are not supported by this model)");
            }
            out[offset] = median.floatValue();
        } else {
            out[offset] = value(s);
        }
        if (indicator) out[offset + 1] = missing ? 1 : 0;
    }

    /** The number in a cell that is not missing. */
    @Override
    public void encodeNumber(double value, float[] out, int offset) {
        if (Double.isNaN(value)) {
            encode("NaN", out, offset);
            return;
        }
        float v = (float) value;
        if (!Float.isFinite(v)) throw new IllegalArgumentException(value + " is too large for a 32-bit float");
        out[offset] = v;
        if (indicator) out[offset + 1] = 0;
    }

    static float value(String s) {
        double d = CsvLoader.parseNumber(s);
        if (Double.isNaN(d)) throw new IllegalArgumentException("'" + clip(s) + "' is not a number");
        float v = (float) d;
        if (!Float.isFinite(v)) throw new IllegalArgumentException("'" + clip(s) + "' is too large for a 32-bit float");
        return v;
    }

    /** A cell as a number: NaN when it is text; refused when it is a number too large for a 32-bit float. */
    static double parseCell(String s) {
        double d = CsvLoader.parseNumber(s);
        if (!Double.isNaN(d) && !Float.isFinite((float) d)) {
            throw new IllegalArgumentException("'" + clip(s) + "' is too large for a 32-bit float");
        }
        return d;
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("column", column);
        if (median != null) m.put("median", median);
        m.put("missing_indicator", indicator);
        return m;
    }

    static NumericColumn fromMap(Map<String, Object> m, String what) {
        Double median = m.get("median") == null ? null : Json.asDouble(m.get("median"), what + ".median");
        if (median != null && !Double.isFinite(median)) throw new dev.nabla.io.JsonException(what + ".median: must be a finite number");
        boolean indicator = Json.asBoolean(m.getOrDefault("missing_indicator", false), what + ".missing_indicator");
        return new NumericColumn(Json.asString(m.get("column"), what + ".column"), median, indicator);
    }
}
