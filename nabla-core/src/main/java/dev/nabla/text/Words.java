package dev.nabla.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The steps every text goes through before it is cut into tokens, in training and at prediction alike: Unicode
 * normalisation (NFKC, so that e.g. full-width letters, ligatures and composed accents read as their plain forms),
 * optional lower-casing, then splitting into words. A word is a run of letters, digits and combining marks; every
 * other visible character (punctuation, symbols) is a word of its own; white space only separates.
 *
 * <pre>{@code
 * Words.split("Ｔｈｅ café's ﬁne!", true)   // [the, café, ', s, fine, !]
 * }</pre>
 */
public final class Words {

    private Words() {
    }

    /** {@code text} normalised (NFKC) and, when {@code lowercase}, lower-cased (locale-independently). */
    public static String normalize(String text, boolean lowercase) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
        // lower-casing can undo the normal form (e.g. U+0130), so normalise once more after it
        return lowercase ? Normalizer.normalize(n.toLowerCase(Locale.ROOT), Normalizer.Form.NFKC) : n;
    }

    /** The words of {@code text} after {@link #normalize}. */
    public static List<String> split(String text, boolean lowercase) {
        String s = normalize(text, lowercase);
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isWordChar(c)) {
                if (start < 0) start = i;
            } else {
                if (start >= 0) words.add(s.substring(start, i));
                start = -1;
                // invisible format characters (zero-width joiners, byte order marks) are dropped like white space
                if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT) {
                    words.add(s.substring(i, next));
                }
            }
            i = next;
        }
        if (start >= 0) words.add(s.substring(start));
        return words;
    }

    private static boolean isWordChar(int c) {
        if (Character.isLetterOrDigit(c)) return true;
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
