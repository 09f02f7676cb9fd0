package dev.nabla.data;

import java.util.Locale;
import java.util.Set;

/**
 * The spellings of a missing cell, as pandas' {@code read_csv} and scikit-learn users write them: an empty cell,
 * {@code NA}, {@code N/A}, {@code NaN}, {@code NULL} and {@code ?}, in any case and with surrounding blanks.
 */
public final class MissingValues {

    private static final Set<String> TOKENS = Set.of("", "na", "n/a", "nan", "null", "?");

    private MissingValues() {
    }

    /** Whether {@code cell} (raw or stripped) means "no value". */
    public static boolean isMissing(String cell) {
        String s = cell.strip();
        if (s.length() > 4) return false;
        // a number is never missing: most cells are decided here, without the lower-case copy
        if (s.length() > 0 && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '.' || s.charAt(0) == '+')) return false;
        return TOKENS.contains(s.toLowerCase(Locale.ROOT));
    }
}
