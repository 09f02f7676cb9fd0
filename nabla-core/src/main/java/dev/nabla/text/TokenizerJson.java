package dev.nabla.text;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link Tokenizer}, as model files hold it ({@code tokenizer.json}):
 * <pre>{@code
 * {"format": "nabla-tokenizer", "version": 1, "type": "bpe", "normalization": "nfkc", "lowercase": true,
 *  "max_length": 64, "vocabulary": ["<pad>", "<unk>", "e</w>", ...], "merges": [["t", "h"], ...]}
 * }</pre>
 * Ids are positions in {@code vocabulary}; {@code merges} only for BPE. Reading trusts nothing: every problem is a
 * {@link JsonException} naming the source and the field.
 */
final class TokenizerJson {

    static final String FORMAT = "nabla-tokenizer";
    static final int VERSION = 1;
    /** Bounds far above real tokenizers (BERT has 30,522 ids, GPT-2 50,257): beyond them the file is not ours. */
    static final int MAX_VOCABULARY = 1_000_000;
    static final int MAX_LENGTH = 65_536;
    static final int MAX_TOKEN_CHARS = 1_000;
    private static final Set<String> KEYS = Set.of("format", "version", "type", "normalization", "lowercase", "max_length",
            "vocabulary", "merges");

    private TokenizerJson() {
    }

    static Map<String, Object> write(Tokenizer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("type", t.type().id());
        m.put("normalization", "nfkc");
        m.put("lowercase", t.lowercase());
        m.put("max_length", t.maxLength());
        m.put("vocabulary", new ArrayList<>(t.vocabulary()));
        if (t.type() == TokenizerType.BPE) {
            List<Object> merges = new ArrayList<>();
            for (String[] pair : t.merges()) merges.add(List.of(pair[0], pair[1]));
            m.put("merges", merges);
        }
        return m;
    }

    static Tokenizer read(Object json, String where) {
        Map<String, Object> m = Json.asObject(json, where);
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) throw new JsonException(where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
        }
        if (!FORMAT.equals(m.get("format"))) throw new JsonException(where + ": format must be \"" + FORMAT + "\", got " + m.get("format"));
        long version = Json.asLong(m.get("version"), where + " version");
        if (version != VERSION) throw new JsonException(where + ": tokenizer version " + version + " is not supported (this Nabla reads " + VERSION + ")");
        TokenizerType type;
        try {
            type = TokenizerType.parse(Json.asString(m.get("type"), where + " type"));
        } catch (IllegalArgumentException e) {
            throw new JsonException(where + " type: " + e.getMessage());
        }
        String normalization = Json.asString(m.get("normalization"), where + " normalization");
        if (!normalization.equals("nfkc")) throw new JsonException(where + ": normalization must be \"nfkc\", got \"" + normalization + "\"");
        boolean lowercase = Json.asBoolean(m.get("lowercase"), where + " lowercase");
        int maxLength = (int) Json.asLong(m.get("max_length"), where + " max_length", 1, MAX_LENGTH);
        List<Object> rawVocabulary = Json.asArray(m.get("vocabulary"), where + " vocabulary");
        if (rawVocabulary.size() > MAX_VOCABULARY) {
            throw new JsonException(where + ": vocabulary has " + rawVocabulary.size() + " tokens, more than " + MAX_VOCABULARY);
        }
        List<String> vocabulary = new ArrayList<>(rawVocabulary.size());
        for (int i = 0; i < rawVocabulary.size(); i++) vocabulary.add(Json.asString(rawVocabulary.get(i), where + " vocabulary[" + i + "]"));
        List<String[]> merges = new ArrayList<>();
        if (type == TokenizerType.BPE) {
            List<Object> raw = Json.asArray(m.get("merges"), where + " merges");
            if (raw.size() > MAX_VOCABULARY) throw new JsonException(where + ": " + raw.size() + " merges, more than " + MAX_VOCABULARY);
            for (int i = 0; i < raw.size(); i++) {
                List<Object> pair = Json.asArray(raw.get(i), where + " merges[" + i + "]");
                if (pair.size() != 2) throw new JsonException(where + " merges[" + i + "]: expected 2 symbols, got " + pair.size());
                merges.add(new String[]{Json.asString(pair.get(0), where + " merges[" + i + "][0]"),
                        Json.asString(pair.get(1), where + " merges[" + i + "][1]")});
            }
        } else if (m.containsKey("merges")) {
            throw new JsonException(where + ": merges are only for a bpe tokenizer, this one is " + type.id());
        }
        try {
            return new Tokenizer(type, lowercase, maxLength, vocabulary, merges);
        } catch (IllegalArgumentException e) {
            throw new JsonException(e.getMessage().replaceFirst("^tokenizer", where));
        }
    }

    /** Token to id; the reserved tokens first, no empty, over-long or repeated token. */
    static Map<String, Integer> checkVocabulary(TokenizerType type, List<String> vocabulary, String where) {
        if (vocabulary.size() < 2 || vocabulary.size() > MAX_VOCABULARY) {
            throw new IllegalArgumentException(where + ": vocabulary has " + vocabulary.size() + " tokens; it needs 2 to " + MAX_VOCABULARY);
        }
        if (!Tokenizer.PAD_TOKEN.equals(vocabulary.get(Tokenizer.PAD)) || !Tokenizer.OOV_TOKEN.equals(vocabulary.get(Tokenizer.OOV))) {
            throw new IllegalArgumentException(where + ": vocabulary must start with the reserved tokens \"" + Tokenizer.PAD_TOKEN
                    + "\" (id 0, padding) and \"" + Tokenizer.OOV_TOKEN + "\" (id 1, unknown), got \"" + vocabulary.get(0) + "\", \"" + vocabulary.get(1) + "\"");
        }
        Map<String, Integer> ids = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < vocabulary.size(); i++) {
            String token = vocabulary.get(i);
            if (token == null || token.isEmpty()) throw new IllegalArgumentException(where + ": vocabulary[" + i + "] is empty");
            if (token.length() > MAX_TOKEN_CHARS) {
                throw new IllegalArgumentException(where + ": vocabulary[" + i + "] is longer than " + MAX_TOKEN_CHARS + " characters");
            }
            if (type == TokenizerType.WORDPIECE && token.equals(Tokenizer.CONTINUATION)) {
                throw new IllegalArgumentException(where + ": vocabulary[" + i + "] is the bare continuation mark \"##\"");
            }
            Integer before = ids.put(token, i);
            if (before != null) {
                throw new IllegalArgumentException(where + ": vocabulary[" + i + "] \"" + clip(token) + "\" repeats vocabulary[" + before + "]");
            }
        }
        return ids;
    }

    static void checkMaxLength(int maxLength, String where) {
        if (maxLength < 1 || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException(where + ": max_length must be from 1 to " + MAX_LENGTH + ", got " + maxLength);
        }
    }

    /** Merge ranks; every merge joins two tokens of the vocabulary into one, and none repeats. */
    static Map<String, Integer> checkMerges(TokenizerType type, List<String[]> merges, Map<String, Integer> ids, String where) {
        if (type != TokenizerType.BPE && !merges.isEmpty()) {
            throw new IllegalArgumentException(where + ": merges are only for a bpe tokenizer, this one is " + type.id());
        }
        Map<String, Integer> rank = new HashMap<>(merges.size() * 2);
        for (int i = 0; i < merges.size(); i++) {
            String[] m = merges.get(i);
            if (m.length != 2) throw new IllegalArgumentException(where + ": merges[" + i + "] must have 2 symbols");
            for (String s : m) {
                if (s == null || !ids.containsKey(s) || ids.get(s) <= Tokenizer.OOV) {
                    throw new IllegalArgumentException(where + ": merges[" + i + "] uses \"" + clip(String.valueOf(s)) + "\", which is not in the vocabulary");
                }
            }
            if (m[0].endsWith(Tokenizer.END_OF_WORD)) {
                throw new IllegalArgumentException(where + ": merges[" + i + "] joins a word's last symbol \"" + clip(m[0]) + "\" to another");
            }
            String joined = SubwordTrainer.join(m[0], m[1], false);
            if (!ids.containsKey(joined)) {
                throw new IllegalArgumentException(where + ": merges[" + i + "] gives \"" + clip(joined) + "\", which is not in the vocabulary");
            }
            if (rank.put(mergeKey(m[0], m[1]), i) != null) {
                throw new IllegalArgumentException(where + ": merges[" + i + "] repeats an earlier merge");
            }
        }
        return rank;
    }

    // words never hold control characters (Words drops them), so NUL cannot occur inside a symbol
    static String mergeKey(String a, String b) {
        return a + '\u0000' + b;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
