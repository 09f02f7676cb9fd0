package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.text.Tokenizer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How train, info and predict describe a text model's input: the tokenizer and where the texts come from. */
final class TextReports {

    private TextReports() {
    }

    /** The training summary's tokenizer line: type, vocabulary, max length (and why that length), case. */
    static String trainingLine(Tokenizer t, Tokenizer.Options asked, boolean continued) {
        String length = continued ? "the model's"
                : asked.maxLength() > 0 ? "--max-length"
                : "chosen from the data: " + Math.round(100 * Tokenizer.LENGTH_PERCENTILE) + "% of the training texts fit"
                + (t.maxLength() == Tokenizer.MAX_DEFAULT_LENGTH ? ", capped at " + Tokenizer.MAX_DEFAULT_LENGTH : "")
                + "; --max-length N to change";
        return String.format(Locale.ROOT, "Tokenizer: %s, vocabulary of %,d ids%s, max length %d tokens (%s), %s",
                t.type().id(), t.vocabularySize(),
                continued || t.vocabularySize() >= asked.vocabularySize() ? "" : String.format(Locale.ROOT, " (of at most %,d)", asked.vocabularySize()),
                t.maxLength(), length, t.lowercase() ? "lower-cased" : "case kept");
    }

    /** One line for {@code nabla info}. */
    static String infoLine(Tokenizer t) {
        return String.format(Locale.ROOT, "%s, vocabulary of %,d ids, max length %d tokens, %s", t.type().id(), t.vocabularySize(),
                t.maxLength(), t.lowercase() ? "lower-cased" : "case kept");
    }

    /** Where the model's texts come from, for {@code nabla info}. */
    static String inputLine(Preprocessing p) {
        return p.featureNames().isEmpty() ? "texts (class folders of .txt files)"
                : "texts (CSV column '" + p.featureNames().get(0) + "'" + (p.labelName() != null ? ", label column '" + p.labelName() + "'" : "") + ")";
    }

    /** The tokenizer as the JSON of train and info report it (not its vocabulary: that is in the model file). */
    static Map<String, Object> json(Tokenizer t, Preprocessing p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer", t.type().id());
        m.put("vocabulary_size", t.vocabularySize());
        m.put("max_length", t.maxLength());
        m.put("lowercase", t.lowercase());
        if (!p.featureNames().isEmpty()) m.put("text_column", p.featureNames().get(0));
        return m;
    }
}
