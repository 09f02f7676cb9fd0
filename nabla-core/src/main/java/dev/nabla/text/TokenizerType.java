package dev.nabla.text;

import java.util.Locale;

/**
 * How a {@link Tokenizer} cuts words into tokens: whole words ({@code word}), byte-pair-encoding subwords
 * ({@code bpe}, Sennrich et al. 2016: merges learned from pair frequencies, applied in the order learned, a word's last
 * symbol marked {@code </w>}), or WordPiece subwords ({@code wordpiece}, as BERT encodes: greedy longest match, pieces
 * after a word's first marked {@code ##}; its vocabulary is learned with the same pair merges).
 */
public enum TokenizerType {
    WORD("word"), BPE("bpe"), WORDPIECE("wordpiece");

    private final String id;

    TokenizerType(String id) {
        this.id = id;
    }

    /** The name in model files and on the command line. */
    public String id() {
        return id;
    }

    /** The type named {@code name} (any case); an IllegalArgumentException listing the known names otherwise. */
    public static TokenizerType parse(String name) {
        String k = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace("-", "");
        for (TokenizerType t : values()) if (t.id.equals(k)) return t;
        throw new IllegalArgumentException("unknown tokenizer '" + name + "' (known: word, bpe, wordpiece)");
    }
}
