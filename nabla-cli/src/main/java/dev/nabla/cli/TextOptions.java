package dev.nabla.cli;

import dev.nabla.text.Tokenizer;
import dev.nabla.text.TokenizerType;

/**
 * The text flags of {@code nabla train}: {@code --text-column}, {@code --tokenizer}, {@code --vocab-size},
 * {@code --max-length} and {@code --no-lowercase}; nulls mean "not given" (the defaults).
 */
record TextOptions(String column, String tokenizer, Integer vocabularySize, Integer maxLength, Boolean lowercase) {

    static final TextOptions NONE = new TextOptions(null, null, null, null, null);

    /** Default {@code --vocab-size} for word tokens and for subwords (which need far fewer to cover a text). */
    static final int DEFAULT_WORD_VOCABULARY = 20_000;
    static final int DEFAULT_SUBWORD_VOCABULARY = 8_000;

    /** The first tokenizer flag given (for "only for text data" errors), or null. */
    String tokenizerFlag() {
        if (tokenizer != null) return "--tokenizer";
        if (vocabularySize != null) return "--vocab-size";
        if (maxLength != null) return "--max-length";
        if (lowercase != null) return lowercase ? "--lowercase" : "--no-lowercase";
        return null;
    }

    /** The first text flag given, {@code --text-column} included, or null. */
    String anyFlag() {
        return column != null ? "--text-column" : tokenizerFlag();
    }

    /** The flags checked, as tokenizer options; errors name the flag. */
    Tokenizer.Options options() {
        TokenizerType type;
        try {
            type = tokenizer == null ? TokenizerType.WORD : TokenizerType.parse(tokenizer);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--tokenizer: " + e.getMessage());
        }
        int vocabulary = vocabularySize != null ? vocabularySize
                : type == TokenizerType.WORD ? DEFAULT_WORD_VOCABULARY : DEFAULT_SUBWORD_VOCABULARY;
        if (vocabulary < 3 || vocabulary > 1_000_000) {
            throw new UsageException("--vocab-size: must be from 3 to 1000000 (2 ids are reserved: padding, unknown), got " + vocabulary);
        }
        if (maxLength != null && (maxLength < 1 || maxLength > 65_536)) {
            throw new UsageException("--max-length: must be from 1 to 65536 tokens, got " + maxLength);
        }
        if (column != null && column.isBlank()) throw new UsageException("--text-column: give the name of the CSV column holding the texts");
        return new Tokenizer.Options(type, vocabulary, lowercase == null || lowercase, maxLength == null ? 0 : maxLength);
    }
}
