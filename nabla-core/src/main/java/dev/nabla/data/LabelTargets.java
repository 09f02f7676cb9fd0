package dev.nabla.data;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The targets of a table's label column, and the task: classification or regression as forced, or else decided from
 * the labels, always with the reason, since a wrong guess trains the wrong model without a word. Text labels are
 * classes. Numbers with a fraction are a regression target. Whole numbers are classes only when they are few and each
 * is repeated (at most {@value #MAX_INTEGER_CLASSES} distinct values, each on at least two rows, like {@code 0}/{@code
 * 1} or star ratings), otherwise a regression target (counts, years, prices in whole units).
 *
 * @param task    the task
 * @param classes class names in label order (empty for regression); numbers sort by value
 * @param y       class indices or raw target values, one per row
 * @param reason  why the task was chosen, for the training summary
 */
record LabelTargets(Task task, List<String> classes, float[] y, String reason) {

    /** Whole-number labels with at most this many distinct values, each repeated, are classes. */
    static final int MAX_INTEGER_CLASSES = 10;

    /** {@code forced} null decides; {@code forcedBy} names what forced it (for the reason), e.g. {@code "--task"}. */
    static LabelTargets of(List<String> labels, int[] lines, Task forced, String forcedBy, String file, String column)
            throws DataException {
        int n = labels.size();
        int firstText = -1;
        for (int i = 0; i < n && firstText < 0; i++) if (!CsvLoader.isNumber(labels.get(i))) firstText = i;
        boolean numeric = firstText < 0;
        if (forced == Task.REGRESSION && !numeric) {
            throw new DataException(file + " line " + lines[firstText] + ", column '" + column + "': '" + NumericColumn.clip(labels.get(firstText))
                    + "' is not a number (a regression target must be numeric)");
        }
        Task task = forced;
        String reason;
        if (forced != null) {
            reason = forcedBy == null ? "as asked" : "as " + forcedBy + " says";
        } else if (!numeric) {
            task = Task.CLASSIFICATION;
            reason = "'" + column + "' holds text (e.g. '" + NumericColumn.clip(labels.get(firstText)) + "'), so its values are classes";
        } else {
            Map<String, Integer> counts = new HashMap<>();
            boolean whole = true;
            for (String s : labels) {
                BigDecimal v = new BigDecimal(s).stripTrailingZeros();
                if (v.scale() > 0) {
                    whole = false;
                    break;
                }
                counts.merge(canonical(s), 1, Integer::sum);
            }
            int rare = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            if (!whole) {
                task = Task.REGRESSION;
                reason = "'" + column + "' holds numbers with fractions; give --task classification to treat its values as classes";
            } else if (counts.size() <= MAX_INTEGER_CLASSES && rare >= 2) {
                task = Task.CLASSIFICATION;
                reason = String.format(Locale.ROOT, "'%s' holds %d distinct whole numbers, each on 2 or more rows, so they are"
                        + " classes; give --task regression to predict them as numbers", column, counts.size());
            } else {
                task = Task.REGRESSION;
                reason = String.format(Locale.ROOT, "'%s' holds whole numbers with %s, so they are numbers to predict;"
                                + " give --task classification to treat them as classes", column,
                        counts.size() > MAX_INTEGER_CLASSES ? counts.size() + " distinct values (classes need at most " + MAX_INTEGER_CLASSES + ")"
                                : "a value on only one row");
            }
        }
        float[] y = new float[n];
        if (task == Task.REGRESSION) {
            for (int i = 0; i < n; i++) y[i] = (float) CsvLoader.parseNumber(labels.get(i));
            return new LabelTargets(task, List.of(), y, reason);
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
            throw new DataException(file + ": the label column '" + column + "' has only one class ('" + NumericColumn.clip(classes.get(0))
                    + "'); classification needs at least 2");
        }
        return new LabelTargets(task, classes, y, reason);
    }

    /** One spelling per number: {@code "1.0"} and {@code "1"} name the same class. */
    static String canonical(String number) {
        BigDecimal v = new BigDecimal(number).stripTrailingZeros();
        return v.signum() == 0 ? "0" : v.toPlainString();
    }
}
