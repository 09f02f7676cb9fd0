package dev.nabla.data;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A categorical column with few values: one input per training category (sorted), 1 for the cell's category and 0
 * for the others, as scikit-learn's {@code OneHotEncoder(handle_unknown="ignore")}: a category not seen in training
 * gives all zeros. A missing cell counts as the most frequent training category ({@code SimpleImputer(strategy=
 * "most_frequent")}).
 *
 */
public final class OneHotColumn implements ColumnEncoder {

    static final String TYPE = "one_hot";

    private final String column;
    private final List<String> categories;
    private final int mostFrequent;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * @param column       the CSV column
     * @param categories   the training categories, in input order
     * @param mostFrequent the index of the category a missing cell becomes
     */
    public OneHotColumn(String column, List<String> categories, int mostFrequent) {
        this.column = column;
        this.categories = List.copyOf(categories);
        this.mostFrequent = mostFrequent;
        if (categories.isEmpty()) throw new IllegalArgumentException("one-hot column '" + column + "': no categories");
        if (mostFrequent < 0 || mostFrequent >= categories.size()) {
            throw new IllegalArgumentException("one-hot column '" + column + "': most frequent category " + mostFrequent
                    + " is not one of its " + categories.size());
        }
        for (int k = 0; k < categories.size(); k++) index.put(categories.get(k), k);
    }

    @Override
    public String column() {
        return column;
    }

    /** The training categories, in input order. */
    public List<String> categories() {
        return categories;
    }

    /** The index of the category a missing cell becomes. */
    public int mostFrequent() {
        return mostFrequent;
    }

    @Override
    public int width() {
        return categories.size();
    }

    @Override
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        for (String c : categories) names.add(column + "=" + c);
        return names;
    }

    @Override
    public void encode(String cell, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + categories.size(), 0f);
        String s = cell.strip();
        int k = MissingValues.isMissing(s) ? mostFrequent : index.getOrDefault(s, -1);
        if (k >= 0) out[offset + k] = 1;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("column", column);
        m.put("categories", categories);
        m.put("most_frequent", mostFrequent);
        return m;
    }

    static OneHotColumn fromMap(Map<String, Object> m, String what) {
        List<Object> raw = Json.asArray(m.get("categories"), what + ".categories");
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) categories.add(Json.asString(raw.get(i), what + ".categories[" + i + "]"));
        if (categories.isEmpty()) throw new JsonException(what + ".categories: must not be empty");
        if (new java.util.HashSet<>(categories).size() != categories.size()) throw new JsonException(what + ".categories: names a category twice");
        long k = Json.asLong(m.get("most_frequent"), what + ".most_frequent", 0, categories.size() - 1);
        return new OneHotColumn(Json.asString(m.get("column"), what + ".column"), categories, (int) k);
    }
}
