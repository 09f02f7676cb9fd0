package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Loads a CSV table with a header row: one label column (by name, the last column by default) and numeric feature
 * columns. String labels become classes (sorted names); numeric labels are classes when they are whole numbers with
 * at most {@value #MAX_INTEGER_CLASSES} distinct values, otherwise a regression target ({@code y} is {@code [N, 1]}).
 * Every problem with the file is a {@link DataException} naming the file, line and column.
 *
 * <p>Standardisation: {@link #load} fits feature (and regression target) mean and deviation on all rows. To fit them
 * on the training rows only, as one should when holding out validation data, load with {@link #loadRaw} and split
 * with {@link Split#of} (or call {@link DataSources#loadSplit}), which fits on the training part.
 */
public final class CsvLoader {

    /** Whole-number labels with at most this many distinct values are classes; otherwise a number to predict. */
    public static final int MAX_INTEGER_CLASSES = 20;

    private CsvLoader() {
    }

    /** Loads {@code csv} and, when {@code standardize}, standardises features with statistics of all its rows. */
    public static LoadedData load(Path csv, String labelColumn, boolean standardize) throws IOException {
        return Standardizer.fit(loadRaw(csv, labelColumn, null), null, standardize);
    }

    /**
     * Loads {@code csv} without any scaling: raw features {@code [N, F]}, class numbers {@code [N]} or raw regression
     * values {@code [N, 1]}, and a {@link Preprocessing} without statistics; fit those with {@link Standardizer#fit}
     * or {@link Split#of}.
     *
     * @param labelColumn the label column's name, null for the last column
     * @param task        forces classification or regression; null decides from the labels
     */
    public static LoadedData loadRaw(Path csv, String labelColumn, Task task) throws IOException {
        String file = csv.toString();
        try (CsvParser parser = open(csv)) {
            List<String> header = header(parser, file);
            int label = labelIndex(header, labelColumn, file);
            if (header.size() < 2) {
                throw new DataException(file + ": the only column is the label '" + header.get(label)
                        + "'; there are no feature columns");
            }
            int features = header.size() - 1;
            int[] columns = new int[features];
            List<String> featureNames = new ArrayList<>();
            for (int c = 0, j = 0; c < header.size(); c++) {
                if (c == label) continue;
                columns[j++] = c;
                featureNames.add(header.get(c));
            }
            // room for 64 rows, or for a few rows of a very wide table (features * 64 could overflow an int)
            float[] x = new float[(int) Math.min(64L * features, Math.max(features, 1 << 20))];
            List<String> labels = new ArrayList<>();
            int[] lines = new int[64];
            int n = 0;
            List<String> fields = new ArrayList<>();
            while (parser.next(fields)) {
                if (isBlank(fields)) continue;
                int line = parser.recordLine();
                checkWidth(fields, header.size(), file, line);
                if ((long) (n + 1) * features > Integer.MAX_VALUE - 8) {
                    throw new DataException(file + ": too many values to hold in memory (more than 2^31)");
                }
                if ((n + 1) * features > x.length) x = HeapLimit.grow(x, file);
                if (n == lines.length) lines = Arrays.copyOf(lines, 2 * n);
                for (int j = 0; j < features; j++) {
                    x[n * features + j] = number(fields.get(columns[j]), file, line, header.get(columns[j]));
                }
                String value = fields.get(label).strip();
                if (value.isEmpty()) throw new DataException(where(file, line, header.get(label)) + "the label is empty");
                labels.add(value);
                lines[n] = line;
                n++;
            }
            if (n == 0) throw new DataException(file + ": no data rows after the header");
            x = Arrays.copyOf(x, n * features);
            String labelName = header.get(label);
            Targets targets = targets(labels, lines, task, file, labelName);
            Preprocessing p = new Preprocessing("table", targets.task, targets.classes, List.copyOf(featureNames), labelName,
                    null, null, 0, 1, null);
            Tensor y = targets.task == Task.REGRESSION ? Tensor.wrap(targets.y, n, 1) : Tensor.wrap(targets.y, n);
            return new LoadedData(Tensor.wrap(x, n, features), y, p);
        }
    }

    /**
     * Loads {@code csv} for a trained model: features are picked by their names in {@code fitted} (other columns are
     * ignored, order does not matter) and scaled with its statistics; labels are mapped to its classes (a class not
     * seen in training is an error) or standardised with its target statistics. With {@code requireLabels} false the
     * label column is not read and {@code y} is null (for predict).
     */
    public static LoadedData loadWith(Path csv, Preprocessing fitted, boolean requireLabels) throws IOException {
        if (!"table".equals(fitted.kind())) {
            throw new IllegalArgumentException("loadWith: the preprocessing is for " + fitted.kind() + " data, not a CSV table");
        }
        String file = csv.toString();
        try (CsvParser parser = open(csv)) {
            List<String> header = header(parser, file);
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < header.size(); c++) index.put(header.get(c), c);
            List<String> names = fitted.featureNames();
            int features = names.size();
            int[] columns = new int[features];
            List<String> missing = new ArrayList<>();
            for (int j = 0; j < features; j++) {
                Integer c = index.get(names.get(j));
                if (c == null) missing.add("'" + names.get(j) + "'");
                else columns[j] = c;
            }
            if (!missing.isEmpty()) {
                throw new DataException(file + ": the model needs the feature column" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + ", which " + (missing.size() == 1 ? "is" : "are")
                        + " missing (columns: " + String.join(", ", header) + ")");
            }
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
            // room for 64 rows, or for a few rows of a very wide table (features * 64 could overflow an int)
            float[] x = new float[(int) Math.min(64L * features, Math.max(features, 1 << 20))];
            float[] y = label < 0 ? null : new float[64];
            int n = 0;
            List<String> fields = new ArrayList<>();
            while (parser.next(fields)) {
                if (isBlank(fields)) continue;
                int line = parser.recordLine();
                checkWidth(fields, header.size(), file, line);
                if ((long) (n + 1) * features > Integer.MAX_VALUE - 8) {
                    throw new DataException(file + ": too many values to hold in memory (more than 2^31)");
                }
                if ((n + 1) * features > x.length) x = HeapLimit.grow(x, file);
                for (int j = 0; j < features; j++) {
                    x[n * features + j] = number(fields.get(columns[j]), file, line, names.get(j));
                }
                if (y != null) {
                    if (n == y.length) y = Arrays.copyOf(y, 2 * n);
                    y[n] = label(fields.get(label).strip(), fitted, classIndex, file, line);
                }
                n++;
            }
            if (n == 0) throw new DataException(file + ": no data rows after the header");
            Tensor xs = Standardizer.applyFeatures(Tensor.wrap(Arrays.copyOf(x, n * features), n, features), fitted);
            Tensor ys = null;
            if (y != null) {
                y = Arrays.copyOf(y, n);
                ys = fitted.task() == Task.REGRESSION ? Tensor.wrap(y, n, 1) : Tensor.wrap(y, n);
            }
            return new LoadedData(xs, ys, fitted);
        }
    }

    private static float label(String value, Preprocessing fitted, Map<String, Integer> classIndex, String file, int line)
            throws DataException {
        String column = fitted.labelName();
        if (value.isEmpty()) throw new DataException(where(file, line, column) + "the label is empty");
        if (fitted.task() == Task.REGRESSION) {
            if (!isNumber(value)) {
                throw new DataException(where(file, line, column) + "'" + clip(value) + "' is not a number (the model predicts a number)");
            }
            return (float) ((parseNumber(value) - fitted.targetMean()) / fitted.targetStd());
        }
        Integer k = classIndex.get(value);
        if (k == null && isNumber(value)) k = classIndex.get(canonical(value));
        if (k == null) {
            throw new DataException(where(file, line, column) + "class '" + clip(value) + "' was not seen in training (classes: "
                    + list(fitted.classes()) + ")");
        }
        return k;
    }

    /** Class names and targets decided from the label strings. */
    private record Targets(Task task, List<String> classes, float[] y) {
    }

    private static Targets targets(List<String> labels, int[] lines, Task task, String file, String column) throws DataException {
        int n = labels.size();
        int firstText = -1;
        for (int i = 0; i < n && firstText < 0; i++) if (!isNumber(labels.get(i))) firstText = i;
        boolean numeric = firstText < 0;
        if (task == Task.REGRESSION && !numeric) {
            throw new DataException(where(file, lines[firstText], column) + "'" + clip(labels.get(firstText))
                    + "' is not a number (a regression target must be numeric)");
        }
        if (task == null && numeric) task = integralAndFew(labels) ? Task.CLASSIFICATION : Task.REGRESSION;
        if (task == null) task = Task.CLASSIFICATION;
        float[] y = new float[n];
        if (task == Task.REGRESSION) {
            for (int i = 0; i < n; i++) y[i] = (float) parseNumber(labels.get(i));
            return new Targets(task, List.of(), y);
        }
        List<String> classes;
        Map<String, Integer> index = new HashMap<>();
        if (numeric) {
            // numbers sort by value ("2" before "10") and "1.0" is the same class as "1"
            TreeMap<BigDecimal, String> values = new TreeMap<>();
            for (String s : labels) values.computeIfAbsent(new BigDecimal(s), v -> canonical(s));
            classes = List.copyOf(values.values());
            for (int k = 0; k < classes.size(); k++) index.put(classes.get(k), k);
            for (int i = 0; i < n; i++) y[i] = index.get(canonical(labels.get(i)));
        } else {
            classes = List.copyOf(new TreeSet<>(labels));
            for (int k = 0; k < classes.size(); k++) index.put(classes.get(k), k);
            for (int i = 0; i < n; i++) y[i] = index.get(labels.get(i));
        }
        if (classes.size() < 2) {
            throw new DataException(file + ": the label column '" + column + "' has only one class ('" + clip(classes.get(0))
                    + "'); classification needs at least 2");
        }
        return new Targets(task, classes, y);
    }

    private static boolean integralAndFew(List<String> labels) {
        Set<String> distinct = new HashSet<>();
        for (String s : labels) {
            BigDecimal v = new BigDecimal(s).stripTrailingZeros();
            if (v.scale() > 0) return false;
            distinct.add(v.toPlainString());
            if (distinct.size() > MAX_INTEGER_CLASSES) return false;
        }
        return true;
    }

    /** One spelling per number: {@code "1.0"} and {@code "1"} name the same class. */
    private static String canonical(String number) {
        BigDecimal v = new BigDecimal(number).stripTrailingZeros();
        return v.signum() == 0 ? "0" : v.toPlainString();
    }

    private static CsvParser open(Path csv) throws IOException {
        if (Files.isDirectory(csv)) throw new DataException(csv + ": is a folder, not a CSV file");
        if (!Files.isRegularFile(csv)) throw new DataException(csv + ": no such file");
        // the default decoder of InputStreamReader replaces undecodable bytes instead of failing on a Latin-1 file
        return new CsvParser(new InputStreamReader(Files.newInputStream(csv), StandardCharsets.UTF_8), csv.toString());
    }

    private static List<String> header(CsvParser parser, String file) throws IOException {
        List<String> fields = new ArrayList<>();
        if (!parser.next(fields)) throw new DataException(file + ": the file is empty (expected a header row with column names)");
        int line = parser.recordLine();
        List<String> header = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < fields.size(); c++) {
            String name = fields.get(c).strip();
            if (name.isEmpty()) {
                throw new DataException(file + " line " + line + ": column " + (c + 1) + " of the header has no name"
                        + " (the first row must name every column)");
            }
            if (!seen.add(name)) throw new DataException(file + " line " + line + ": the header names column '" + name + "' twice");
            header.add(name);
        }
        return header;
    }

    private static int labelIndex(List<String> header, String labelColumn, String file) throws DataException {
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

    private static boolean isBlank(List<String> fields) {
        return fields.size() == 1 && fields.get(0).isBlank();
    }

    private static void checkWidth(List<String> fields, int columns, String file, int line) throws DataException {
        if (fields.size() != columns) {
            throw new DataException(file + " line " + line + ": " + fields.size() + (fields.size() == 1 ? " value" : " values")
                    + ", but the header has " + columns + " columns");
        }
    }

    private static float number(String raw, String file, int line, String column) throws DataException {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new DataException(where(file, line, column) + "the value is empty (missing values are not supported; fill or drop them first)");
        }
        double d = parseNumber(s);
        if (Double.isNaN(d)) throw new DataException(where(file, line, column) + "'" + clip(s) + "' is not a number");
        float v = (float) d;
        if (!Float.isFinite(v)) throw new DataException(where(file, line, column) + "'" + clip(s) + "' is too large for a 32-bit float");
        return v;
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

    private static String where(String file, int line, String column) {
        return file + " line " + line + ", column '" + column + "': ";
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static String list(List<String> names) {
        return names.size() <= 20 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
    }
}
