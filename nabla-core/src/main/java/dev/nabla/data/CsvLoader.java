package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Loads a CSV table with a header row: one label column (by name, the last column by default) and feature columns.
 * Numeric columns are numbers; a column with any other text is categorical (one-hot or hashed, see
 * {@link TableColumns}); missing cells ({@link MissingValues}) are imputed. How the cells become inputs is fitted on
 * the training rows and kept in the {@link Preprocessing} ({@link Preprocessing#columns()}), so data read later for the
 * model is encoded the same way. String labels become classes (sorted names); numeric labels are classes or a
 * regression target as {@link LabelTargets} decides ({@code y} is {@code [N, 1]} for regression), unless the task is
 * forced. A missing label is an error. Every problem with the file is a {@link DataException} naming the file, line
 * and column. The file is UTF-8 (or {@link CsvFormat#encoding()}); comma, semicolon or tab separated.
 *
 * <p>Standardisation: {@link #load} fits feature (and regression target) mean and deviation on all rows. To fit them
 * on the training rows only, as one should when holding out validation data, load with {@link #loadRaw} and split
 * with {@link Split#of} (or call {@link DataSources#loadSplit}), which fits on the training part.
 */
public final class CsvLoader {

    /** Whole-number labels with at most this many distinct values, each repeated, are classes; otherwise numbers. */
    public static final int MAX_INTEGER_CLASSES = LabelTargets.MAX_INTEGER_CLASSES;

    private CsvLoader() {
    }

    /** Loads {@code csv} and, when {@code standardize}, standardises features with statistics of all its rows. */
    public static LoadedData load(Path csv, String labelColumn, boolean standardize) throws IOException {
        return Standardizer.fit(loadRaw(csv, labelColumn, null), null, standardize);
    }

    /**
     * Loads {@code csv} without any scaling: raw features {@code [N, F]}, class numbers {@code [N]} or raw regression
     * values {@code [N, 1]}, and a {@link Preprocessing} without statistics; fit those with {@link Standardizer#fit}
     * or {@link Split#of}. Column encoders are fitted on all rows.
     *
     * @param labelColumn the label column's name, null for the last column
     * @param task        forces classification or regression; null decides from the labels
     */
    public static LoadedData loadRaw(Path csv, String labelColumn, Task task) throws IOException {
        return loadTable(csv, DataOptions.defaults().withLabelColumn(labelColumn).withTask(task), null);
    }

    /**
     * {@link #loadRaw(Path, String, Task)} with the options' label, task, CSV format and column choice; the column
     * encoders (medians, categories) are fitted on the rows {@code fitRows} gives for the number of rows (the
     * training part of a split; null, or a null answer: all rows).
     */
    public static LoadedData loadTable(Path csv, DataOptions options, IntFunction<int[]> fitRows) throws IOException {
        return TableLoader.load(new CsvSource(csv, options.csv()), options, fitRows);
    }

    /**
     * Loads {@code csv} for a trained model: features are picked by their names in {@code fitted} (other columns are
     * ignored, order does not matter) and encoded with its column encoders, then scaled with its statistics (models of
     * format 1); labels are mapped to its classes (a class not seen in training is an error) or standardised with its
     * target statistics. With {@code requireLabels} false the label column is not read and {@code y} is null (for
     * predict).
     */
    public static LoadedData loadWith(Path csv, Preprocessing fitted, boolean requireLabels) throws IOException {
        return loadWith(csv, fitted, requireLabels, CsvFormat.DEFAULT);
    }

    /** {@link #loadWith(Path, Preprocessing, boolean)} for a file of the given encoding and delimiter. */
    public static LoadedData loadWith(Path csv, Preprocessing fitted, boolean requireLabels, CsvFormat format) throws IOException {
        return loadWith(new CsvSource(csv, format), fitted, requireLabels);
    }

    /** {@link #loadWith(Path, Preprocessing, boolean)} for a table from any source (Parquet, SQL). */
    public static LoadedData loadWith(TableSource source, Preprocessing fitted, boolean requireLabels) throws IOException {
        if (!"table".equals(fitted.kind())) {
            throw new IllegalArgumentException("loadWith: the preprocessing is for " + fitted.kind() + " data, not a CSV table");
        }
        String file = source.name();
        TableColumns table = fitted.tableColumns();
        try (TableRows parser = source.open()) {
            List<String> header = parser.header();
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < header.size(); c++) index.put(header.get(c), c);
            int[] at = table.locate(header, file);
            int width = table.width();
            int label = -1;
            if (requireLabels) {
                Integer c = index.get(fitted.labelName());
                if (c == null) {
                    throw new DataException(file + ": no label column '" + fitted.labelName()
                            + "' (columns: " + String.join(", ", header) + ")");
                }
                label = c;
            }
            Map<String, Integer> classIndex = new HashMap<>();
            for (int k = 0; k < fitted.classes().size(); k++) classIndex.put(fitted.classes().get(k), k);
            // room for 64 rows, or for a few rows of a very wide table (width * 64 could overflow an int)
            float[] x = new float[(int) Math.min(64L * Math.max(1, width), Math.max(width, 1 << 20))];
            float[] y = label < 0 ? null : new float[64];
            int n = 0;
            List<String> fields = new ArrayList<>();
            while (parser.next(fields)) {
                                int line = parser.recordLine();
                checkWidth(fields, header.size(), file, line);
                if ((long) (n + 1) * width > Integer.MAX_VALUE - 8) {
                    throw new DataException(file + ": too many values to hold in memory (more than 2^31)");
                }
                if ((n + 1) * width > x.length) x = HeapLimit.grow(x, file);
                try {
                    table.encodeRow(fields, at, x, n * width);
                } catch (IllegalArgumentException e) {
                    throw new DataException(file + " line " + line + ", " + e.getMessage());
                }
                if (y != null) {
                    if (n == y.length) y = Arrays.copyOf(y, 2 * n);
                    y[n] = label(fields.get(label).strip(), fitted, classIndex, file, line);
                }
                n++;
            }
            if (n == 0) throw new DataException(file + ": no data rows after the header");
            Tensor xs = Standardizer.applyFeatures(Tensor.wrap(Arrays.copyOf(x, n * width), n, width), fitted);
            Tensor ys = null;
            if (y != null) {
                y = Arrays.copyOf(y, n);
                ys = fitted.task() == Task.REGRESSION ? Tensor.wrap(y, n, 1) : Tensor.wrap(y, n);
            }
            return new LoadedData(xs, ys, fitted);
        }
    }

    static String checkLabel(String value, String file, int line, String column) throws DataException {
        if (value.isEmpty()) throw new DataException(where(file, line, column) + "the label is empty (fill it in or drop the row)");
        if (MissingValues.isMissing(value)) {
            throw new DataException(where(file, line, column) + "the label is missing ('" + value + "'; fill it in or drop the row)");
        }
        return value;
    }

    private static float label(String value, Preprocessing fitted, Map<String, Integer> classIndex, String file, int line)
            throws DataException {
        String column = fitted.labelName();
        checkLabel(value, file, line, column);
        if (fitted.task() == Task.REGRESSION) {
            if (!isNumber(value)) {
                throw new DataException(where(file, line, column) + "'" + clip(value) + "' is not a number (the model predicts a number)");
            }
            return (float) ((parseNumber(value) - fitted.targetMean()) / fitted.targetStd());
        }
        Integer k = classIndex.get(value);
        if (k == null && isNumber(value)) k = classIndex.get(LabelTargets.canonical(value));
        if (k == null) {
            throw new DataException(where(file, line, column) + "class '" + clip(value) + "' was not seen in training (classes: "
                    + list(fitted.classes()) + ")");
        }
        return k;
    }

    static int labelIndex(List<String> header, String labelColumn, String file) throws DataException {
        if (labelColumn == null) return header.size() - 1;
        int i = header.indexOf(labelColumn.strip());
        if (i >= 0) return i;
        int found = -1;
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).equalsIgnoreCase(labelColumn.strip())) {
                if (found >= 0) { found = -1; break; }
                found = c;
            }
        }
        if (found >= 0) return found;
        throw new DataException(file + ": no label column '" + labelColumn + "' (columns: " + String.join(", ", header) + ")");
    }

    static void checkWidth(List<String> fields, int columns, String file, int line) throws DataException {
        if (fields.size() != columns) {
            throw new DataException(file + " line " + line + ": " + fields.size() + (fields.size() == 1 ? " value" : " values")
                    + ", but the header has " + columns + " columns");
        }
    }

    /**
     * A plain decimal number: optional sign, digits with an optional fraction, optional exponent. Stricter than
     * {@link Double#parseDouble}, which also takes "NaN", "Infinity", hex and a trailing "f" or "d".
     */
    static boolean isNumber(String s) {
        return !Double.isNaN(parseNumber(s));
    }

    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    /**
     * The value of a plain decimal number (see {@link #isNumber}), NaN when {@code s} is not one. Up to 18 significant
     * digits and exponents within 10^±22 are computed directly, which is several times faster than
     * {@link Double#parseDouble} and within one unit in the last place of a double, far below float precision;
     * anything else goes to {@code parseDouble}.
     */
    static double parseNumber(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) negative = s.charAt(i++) == '-';
        long mantissa = 0;
        int significant = 0;
        int exp10 = 0;
        boolean any = false;
        boolean dropped = false;
        for (; i < n && isDigit(s.charAt(i)); i++) {
            any = true;
            int d = s.charAt(i) - '0';
            if (significant < 18) {
                mantissa = mantissa * 10 + d;
                if (mantissa != 0) significant++;
            } else {
                exp10++;
                dropped |= d != 0;
            }
        }
        if (i < n && s.charAt(i) == '.') {
            for (i++; i < n && isDigit(s.charAt(i)); i++) {
                any = true;
                int d = s.charAt(i) - '0';
                if (significant < 18) {
                    mantissa = mantissa * 10 + d;
                    if (mantissa != 0) significant++;
                    exp10--;
                } else {
                    dropped |= d != 0;
                }
            }
        }
        if (!any) return Double.NaN;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            boolean negExp = false;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) negExp = s.charAt(i++) == '-';
            int e = 0;
            int start = i;
            for (; i < n && isDigit(s.charAt(i)); i++) e = Math.min(100_000, e * 10 + (s.charAt(i) - '0'));
            if (i == start) return Double.NaN;
            exp10 += negExp ? -e : e;
        }
        if (i != n) return Double.NaN;
        double v;
        if (mantissa == 0) {
            v = 0;
        } else if (exp10 >= -22 && exp10 <= 22 && !dropped) {
            v = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
        } else {
            return Double.parseDouble(s); // sign included
        }
        return negative ? -v : v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String where(String file, int line, String column) {
        return file + " line " + line + ", column '" + column + "': ";
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static String list(List<String> names) {
        return names.size() <= 20 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
    }
}
