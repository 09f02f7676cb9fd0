package dev.nabla.data;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The label column of a streamed table, summarised on the first reading: the task and classes {@link LabelTargets}
 * decides from all the labels in memory, by the same rules and with the same reason, from what it counts as the rows
 * pass (the first text, whether all numbers are whole, how often each whole number occurs, the distinct labels). The
 * counts stop at {@value #MAX_DISTINCT} distinct labels: past that a whole-number label is a regression target (the
 * reason says "more than") and classification is refused, as no network has that many outputs.
 */
final class LabelSketch {

    /** Distinct labels counted at most. */
    static final int MAX_DISTINCT = 1 << 16;

    private final String file;
    private final String column;
    private long rows;
    private String firstText;
    private int firstTextLine = -1;
    private boolean whole = true;
    private boolean overflow;
    private final Map<String, Long> wholeCounts = new HashMap<>();
    private final TreeMap<BigDecimal, String> numbers = new TreeMap<>();
    private final TreeSet<String> texts = new TreeSet<>();

    LabelSketch(String file, String column) {
        this.file = file;
        this.column = column;
    }

    /** Counts one row's label (stripped, not missing) at {@code line}. */
    void add(String label, int line) {
        rows++;
        if (firstText == null && !CsvLoader.isNumber(label)) {
            firstText = label;
            firstTextLine = line;
            numbers.clear();
            wholeCounts.clear();
        }
        if (overflow) return;
        if (texts.size() < MAX_DISTINCT || texts.contains(label)) texts.add(label);
        else overflow = true;
        if (firstText != null) return;
        BigDecimal v = new BigDecimal(label);
        numbers.computeIfAbsent(v, x -> LabelTargets.canonical(label));
        if (whole) {
            if (v.stripTrailingZeros().scale() > 0) {
                whole = false;
                wholeCounts.clear();
            } else {
                wholeCounts.merge(LabelTargets.canonical(label), 1L, Long::sum);
            }
        }
    }

    /** The task (as {@code forced}, or decided), its classes and the reason; an error as {@link LabelTargets#of}'s. */
    LabelTargets decide(Task forced) throws DataException {
        boolean numeric = firstText == null;
        if (forced == Task.REGRESSION && !numeric) {
            throw new DataException(file + " line " + firstTextLine + ", column '" + column + "': '" + NumericColumn.clip(firstText)
                    + "' is not a number (a regression target must be numeric)");
        }
        Task task = forced;
        String reason;
        if (forced != null) {
            reason = "as asked";
        } else if (!numeric) {
            task = Task.CLASSIFICATION;
            reason = "'" + column + "' holds text (e.g. '" + NumericColumn.clip(firstText) + "'), so its values are classes";
        } else {
            long rare = wholeCounts.values().stream().mapToLong(Long::longValue).min().orElse(0);
            if (!whole) {
                task = Task.REGRESSION;
                reason = "'" + column + "' holds numbers with fractions; give --task classification to treat its values as classes";
            } else if (!overflow && wholeCounts.size() <= LabelTargets.MAX_INTEGER_CLASSES && rare >= 2) {
                task = Task.CLASSIFICATION;
                reason = String.format(Locale.ROOT, "'%s' holds %d distinct whole numbers, each on 2 or more rows, so they are"
                        + " classes; give --task regression to predict them as numbers", column, wholeCounts.size());
            } else {
                task = Task.REGRESSION;
                String many = overflow ? "more than " + MAX_DISTINCT : String.valueOf(wholeCounts.size());
                reason = String.format(Locale.ROOT, "'%s' holds whole numbers with %s, so they are numbers to predict;"
                                + " give --task classification to treat them as classes", column,
                        overflow || wholeCounts.size() > LabelTargets.MAX_INTEGER_CLASSES
                                ? many + " distinct values (classes need at most " + LabelTargets.MAX_INTEGER_CLASSES + ")"
                                : "a value on only one row");
            }
        }
        if (task == Task.REGRESSION) return new LabelTargets(task, List.of(), null, reason);
        if (overflow) {
            throw new DataException(file + ": the label column '" + column + "' has more than " + MAX_DISTINCT
                    + " distinct values, too many classes to stream");
        }
        List<String> classes = numeric ? List.copyOf(numbers.values()) : List.copyOf(texts);
        if (classes.size() < 2) {
            throw new DataException(file + ": the label column '" + column + "' has only one class ('" + NumericColumn.clip(classes.get(0))
                    + "'); classification needs at least 2");
        }
        return new LabelTargets(task, classes, null, reason);
    }

    /** Rows counted. */
    long rows() {
        return rows;
    }
}
