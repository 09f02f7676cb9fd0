package dev.nabla.data;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * How the cells of a CSV table become a model's inputs, fitted on the training rows and saved with the model (in its
 * {@link Preprocessing}, key {@code "columns"}): one {@link ColumnEncoder} per feature column, in the order of the
 * training file. Numeric columns stay numbers (missing cells imputed with the median, plus a missing indicator when
 * training had missing cells); text columns with at most {@value #MAX_ONE_HOT} distinct values are one-hot encoded,
 * those with more are hashed into {@value #HASH_BUCKETS} buckets. Standardisation comes after, inside the model.
 *
 * <p>For inference without the command line (a server), {@link #encode(List)} takes the raw cells of rows in the
 * training file's column order ({@link #csvColumns()}, label and unused columns included and ignored), and
 * {@link #encodeRecords} takes rows as column name to cell.
 */
public final class TableColumns {

    /** Text columns with at most this many distinct values get one input per value (one-hot); more are hashed. */
    public static final int MAX_ONE_HOT = 16;

    /** How many inputs a hashed text column gets. */
    public static final int HASH_BUCKETS = 32;

    private static final Map<String, BiFunction<Map<String, Object>, String, ColumnEncoder>> KINDS = new ConcurrentHashMap<>();

    static {
        register(NumericColumn.TYPE, NumericColumn::fromMap);
        register(OneHotColumn.TYPE, OneHotColumn::fromMap);
        register(HashedColumn.TYPE, HashedColumn::fromMap);
    }

    private final List<String> csvColumns;
    private final List<ColumnEncoder> features;
    private final int[] positions;
    private final int width;

    /**
     * @param csvColumns every column of the training file, in its order
     * @param features   the encoders of the feature columns, in the order of their inputs
     */
    public TableColumns(List<String> csvColumns, List<ColumnEncoder> features) {
        this.csvColumns = List.copyOf(csvColumns);
        this.features = List.copyOf(features);
        if (features.isEmpty()) throw new IllegalArgumentException("a table needs at least one feature column");
        Map<String, Integer> at = new HashMap<>();
        for (int c = 0; c < csvColumns.size(); c++) at.put(csvColumns.get(c), c);
        positions = new int[features.size()];
        int w = 0;
        for (int j = 0; j < features.size(); j++) {
            Integer c = at.get(features.get(j).column());
            if (c == null) throw new IllegalArgumentException("feature column '" + features.get(j).column() + "' is not a column of the table");
            positions[j] = c;
            w += features.get(j).width();
        }
        width = w;
    }

    /** Plain numeric columns without imputation: how models saved before column encoders read their tables. */
    static TableColumns numeric(List<String> featureNames) {
        List<ColumnEncoder> encoders = new ArrayList<>();
        for (String name : featureNames) encoders.add(new NumericColumn(name, null, false));
        return new TableColumns(featureNames, encoders);
    }

    /** Makes a kind of column readable from model files: {@code read} gets its map and a name for messages. */
    public static void register(String type, BiFunction<Map<String, Object>, String, ColumnEncoder> read) {
        KINDS.put(type, read);
    }

    /** Every column of the training file, in its order. */
    public List<String> csvColumns() {
        return csvColumns;
    }

    /** The feature columns' encoders. */
    public List<ColumnEncoder> features() {
        return features;
    }

    /** The feature columns' names. */
    public List<String> featureColumns() {
        List<String> names = new ArrayList<>();
        for (ColumnEncoder e : features) names.add(e.column());
        return List.copyOf(names);
    }

    /** How many model inputs a row gives. */
    public int width() {
        return width;
    }

    /** A name for each model input, e.g. {@code age}, {@code age_missing}, {@code color=red}, {@code city#7}. */
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (ColumnEncoder e : features) names.addAll(e.outputNames());
        return names;
    }

    /**
     * Rows of raw cells in the training file's column order ({@link #csvColumns()}) as model inputs {@code [N, width]}.
     *
     * @throws IllegalArgumentException naming the row and column of a cell that cannot be encoded, or of a row of
     *                                  the wrong length
     */
    public Tensor encode(List<? extends List<String>> rows) {
        float[] x = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() != csvColumns.size()) {
                throw new IllegalArgumentException("row " + i + ": " + row.size() + " cells, but the table has "
                        + csvColumns.size() + " columns (" + String.join(", ", csvColumns) + ")");
            }
            try {
                encodeRow(row::get, x, i * width);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + i + ", " + e.getMessage(), e);
            }
        }
        return Tensor.wrap(x, rows.size(), width);
    }

    /**
     * Rows of raw cells of the feature columns only, in {@link #featureColumns()} order, as model inputs
     * {@code [N, width]} (the form a server receives: no label, no ignored columns).
     */
    public Tensor encodeFeatureRows(List<? extends List<String>> rows) {
        float[] x = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() != features.size()) {
                throw new IllegalArgumentException("row " + i + ": " + row.size() + " values, but the model takes "
                        + features.size() + " (" + String.join(", ", featureColumns()) + ")");
            }
            int off = i * width;
            for (int j = 0; j < features.size(); j++) {
                ColumnEncoder e = features.get(j);
                try {
                    e.encode(row.get(j), x, off);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("row " + i + ", column '" + e.column() + "': " + ex.getMessage(), ex);
                }
                off += e.width();
            }
        }
        return Tensor.wrap(x, rows.size(), width);
    }

    /**
     * {@code rows} rows of numbers for the feature columns, row after row in {@link #featureColumns()} order (NaN for
     * a missing cell), as model inputs {@code [rows, width]}: {@link #encodeFeatureRows} without the text.
     */
    public Tensor encodeFeatureNumbers(double[] values, int rows) {
        if (values.length != rows * features.size()) {
            throw new IllegalArgumentException(values.length + " values are not " + rows + " rows of " + features.size());
        }
        float[] x = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            int off = i * width;
            for (int j = 0; j < features.size(); j++) {
                ColumnEncoder e = features.get(j);
                try {
                    e.encodeNumber(values[i * features.size() + j], x, off);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("row " + i + ", column '" + e.column() + "': " + ex.getMessage(), ex);
                }
                off += e.width();
            }
        }
        return Tensor.wrap(x, rows, width);
    }

    /** Rows given as column name to raw cell (only the feature columns are needed) as model inputs. */
    public Tensor encodeRecords(List<Map<String, String>> rows) {
        float[] x = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            int off = i * width;
            for (ColumnEncoder e : features) {
                String cell = row.get(e.column());
                if (cell == null) throw new IllegalArgumentException("row " + i + ": no cell for column '" + e.column() + "'");
                try {
                    e.encode(cell, x, off);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("row " + i + ", column '" + e.column() + "': " + ex.getMessage(), ex);
                }
                off += e.width();
            }
        }
        return Tensor.wrap(x, rows.size(), width);
    }

    /** Cells by position in a file whose columns are {@code header}: where each feature column is, or an error. */
    int[] locate(List<String> header, String file) throws DataException {
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < header.size(); c++) index.put(header.get(c), c);
        int[] at = new int[features.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            Integer c = index.get(features.get(j).column());
            if (c == null) missing.add("'" + features.get(j).column() + "'");
            else at[j] = c;
        }
        if (!missing.isEmpty()) {
            throw new DataException(file + ": the model needs the feature column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + ", which " + (missing.size() == 1 ? "is" : "are")
                    + " missing (columns: " + String.join(", ", header) + ")");
        }
        return at;
    }

    /** Encodes one row of {@code fields} into {@code out} from {@code offset}; feature {@code j}'s cell is {@code fields.get(at[j])}. */
    void encodeRow(List<String> fields, int[] at, float[] out, int offset) {
        for (int j = 0; j < features.size(); j++) {
            ColumnEncoder e = features.get(j);
            try {
                e.encode(fields.get(at[j]), out, offset);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("column '" + e.column() + "': " + ex.getMessage(), ex);
            }
            offset += e.width();
        }
    }

    private void encodeRow(java.util.function.IntFunction<String> cell, float[] out, int offset) {
        for (int j = 0; j < features.size(); j++) {
            ColumnEncoder e = features.get(j);
            try {
                e.encode(cell.apply(positions[j]), out, offset);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("column '" + e.column() + "': " + ex.getMessage(), ex);
            }
            offset += e.width();
        }
    }

    /** JSON-friendly values for the model file. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("csv_columns", csvColumns);
        List<Object> list = new ArrayList<>();
        for (ColumnEncoder e : features) list.add(e.toMap());
        m.put("features", list);
        return m;
    }

    /** Reads back {@link #toMap}; a missing, mistyped or unknown entry is a {@link JsonException} naming it. */
    public static TableColumns fromMap(Map<String, Object> m, String what) {
        List<Object> rawColumns = Json.asArray(m.get("csv_columns"), what + ".csv_columns");
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < rawColumns.size(); i++) columns.add(Json.asString(rawColumns.get(i), what + ".csv_columns[" + i + "]"));
        List<Object> rawFeatures = Json.asArray(m.get("features"), what + ".features");
        List<ColumnEncoder> encoders = new ArrayList<>();
        for (int i = 0; i < rawFeatures.size(); i++) {
            String at = what + ".features[" + i + "]";
            Map<String, Object> f = Json.asObject(rawFeatures.get(i), at);
            String type = Json.asString(f.get("type"), at + ".type");
            var read = KINDS.get(type);
            if (read == null) throw new JsonException(at + ".type: unknown column kind '" + type + "' (known: " + String.join(", ", new java.util.TreeSet<>(KINDS.keySet())) + ")");
            encoders.add(read.apply(f, at));
        }
        try {
            return new TableColumns(columns, encoders);
        } catch (IllegalArgumentException e) {
            throw new JsonException(what + ": " + e.getMessage());
        }
    }
}
