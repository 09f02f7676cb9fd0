package dev.nabla.text;

import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Turns texts into fixed-length rows of token ids, the input of an {@link dev.nabla.nn.Embedding}. Trained on the
 * training texts only ({@link #train}); every text, in training and at prediction, goes through the same steps:
 * {@link Words} (NFKC normalisation, optional lower-casing, splitting into words), then words to tokens by the
 * {@link TokenizerType} (whole words, BPE or WordPiece subwords), then ids, then padding or truncation to
 * {@link #maxLength()}. Id {@value #PAD} ({@value #PAD_TOKEN}) is padding and id {@value #OOV} ({@value #OOV_TOKEN})
 * stands for anything not in the vocabulary; tokens are padded and cut at the end (a long text keeps its beginning).
 *
 * <pre>{@code
 * Tokenizer t = Tokenizer.train(trainingTexts, Tokenizer.Options.defaults().type(TokenizerType.BPE));
 * Tensor ids = t.encode(List.of("a great film", "dull"));   // [2, t.maxLength()], padded with 0
 * }</pre>
 *
 * Saved inside the model file as JSON ({@link #toJson}, {@link #fromJson}, which checks everything it reads).
 * Instances are immutable and safe to share between threads.
 */
public final class Tokenizer {

    public static final int PAD = 0;
    public static final int OOV = 1;
    public static final String PAD_TOKEN = "<pad>";
    public static final String OOV_TOKEN = "<unk>";
    /** BPE marks a word's last symbol with this suffix. */
    public static final String END_OF_WORD = "</w>";
    /** WordPiece marks the pieces after a word's first with this prefix. */
    public static final String CONTINUATION = "##";
    /** The longest {@link #maxLength()} chosen from the data; a longer one can be asked for. */
    public static final int MAX_DEFAULT_LENGTH = 256;
    /** Which share of the training texts a chosen {@link #maxLength()} holds whole. */
    public static final double LENGTH_PERCENTILE = 0.95;
    // a WordPiece word longer than this is one unknown token, as in BERT
    private static final int MAX_WORDPIECE_CHARS = 100;
    private static final int CACHE_LIMIT = 100_000;

    /**
     * How to train a tokenizer.
     *
     * @param type           word, BPE or WordPiece tokens
     * @param vocabularySize at most this many ids, the 2 reserved ones included (at least 3)
     * @param lowercase      lower-case texts before anything else
     * @param maxLength      tokens per encoded text; 0 chooses it from the training texts (the
     *                       {@value #LENGTH_PERCENTILE} quantile of their token counts, at most {@value #MAX_DEFAULT_LENGTH})
     */
    public record Options(TokenizerType type, int vocabularySize, boolean lowercase, int maxLength) {
        public Options {
            if (type == null) throw new IllegalArgumentException("tokenizer type is null");
            if (vocabularySize < 3 || vocabularySize > TokenizerJson.MAX_VOCABULARY) {
                throw new IllegalArgumentException("vocabulary size must be from 3 to " + TokenizerJson.MAX_VOCABULARY + ", got " + vocabularySize);
            }
            if (maxLength < 0 || maxLength > TokenizerJson.MAX_LENGTH) {
                throw new IllegalArgumentException("max length must be from 1 to " + TokenizerJson.MAX_LENGTH + " (0: from the data), got " + maxLength);
            }
        }

        /** Words, 20,000 ids, lower-cased, length from the data. */
        public static Options defaults() {
            return new Options(TokenizerType.WORD, 20_000, true, 0);
        }

        public Options type(TokenizerType value) {
            return new Options(value, vocabularySize, lowercase, maxLength);
        }

        public Options vocabularySize(int value) {
            return new Options(type, value, lowercase, maxLength);
        }

        public Options lowercase(boolean value) {
            return new Options(type, vocabularySize, value, maxLength);
        }

        public Options maxLength(int value) {
            return new Options(type, vocabularySize, lowercase, value);
        }
    }

    private final TokenizerType type;
    private final boolean lowercase;
    private final int maxLength;
    private final List<String> vocabulary;
    private final Map<String, Integer> ids;
    private final List<String[]> merges;
    private final Map<String, Integer> mergeRank;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * A tokenizer from its parts, checked: {@code vocabulary} in id order starting with {@value #PAD_TOKEN} and
     * {@value #OOV_TOKEN}, no duplicates; {@code merges} (BPE only, in the order learned) join symbols of the vocabulary
     * into symbols of the vocabulary. Prefer {@link #train} or {@link #fromJson}.
     */
    public Tokenizer(TokenizerType type, boolean lowercase, int maxLength, List<String> vocabulary, List<String[]> merges) {
        this.type = type;
        this.lowercase = lowercase;
        this.maxLength = maxLength;
        this.vocabulary = List.copyOf(vocabulary);
        this.ids = TokenizerJson.checkVocabulary(type, this.vocabulary, "tokenizer");
        TokenizerJson.checkMaxLength(maxLength, "tokenizer");
        List<String[]> copy = new ArrayList<>();
        for (String[] m : merges) copy.add(m.clone());
        this.merges = List.copyOf(copy);
        this.mergeRank = TokenizerJson.checkMerges(type, this.merges, ids, "tokenizer");
    }

    /** Learns the vocabulary (and BPE merges) of {@code texts}; see {@link Options}. */
    public static Tokenizer train(List<String> texts, Options options) {
        if (texts.isEmpty()) throw new IllegalArgumentException("a tokenizer needs training texts, got none");
        Lengths lengths = new Lengths();
        Tokenizer untuned;
        try {
            untuned = untuned(texts::forEach, options, lengths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (options.maxLength() > 0) return untuned.withMaxLength(options.maxLength());
        return untuned.withMaxLength(lengths.n > 0 ? quantileLength(lengths.sorted()) : untuned.chooseMaxLength(texts));
    }

    /**
     * {@link #train(List, Options)} on texts read as they are needed, none kept: the same vocabulary, merges and
     * length as on the same texts in memory. One pass counts the words (and, for word tokens, the texts' lengths);
     * subword tokens with a length chosen from the data ({@code maxLength} 0) need a second pass to count tokens.
     */
    public static Tokenizer train(TextPass texts, Options options) throws IOException {
        Lengths lengths = new Lengths();
        Tokenizer untuned = untuned(texts, options, lengths);
        if (options.maxLength() > 0) return untuned.withMaxLength(options.maxLength());
        if (lengths.n == 0) texts.forEach(t -> lengths.add(untuned.tokenize(t).length));
        return untuned.withMaxLength(quantileLength(lengths.sorted()));
    }

    /**
     * The vocabulary (and merges) of one pass over {@code texts}, at length 1; {@code lengths} gets the texts' token
     * counts when they are known without the vocabulary (word tokens, length from the data), else stays empty.
     */
    private static Tokenizer untuned(TextPass texts, Options options, Lengths lengths) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        boolean lengthsNow = options.maxLength() == 0 && options.type() == TokenizerType.WORD;
        int[] seen = {0};
        texts.forEach(t -> {
            List<String> words = Words.split(t, options.lowercase());
            for (String w : words) counts.merge(w, 1, Integer::sum);
            // a word token is one id, known or not: a text's length is its number of words
            if (lengthsNow) lengths.add(words.size());
            seen[0]++;
        });
        if (seen[0] == 0) throw new IllegalArgumentException("a tokenizer needs training texts, got none");
        if (counts.isEmpty()) throw new IllegalArgumentException("the training texts hold no words (only white space or nothing)");
        List<String> vocabulary = new ArrayList<>(List.of(PAD_TOKEN, OOV_TOKEN));
        List<String[]> merges = List.of();
        int capacity = options.vocabularySize() - 2;
        if (options.type() == TokenizerType.WORD) {
            List<String> words = new ArrayList<>(counts.keySet());
            // most frequent first; ties in alphabetical order, so the vocabulary does not depend on text order
            words.sort(Comparator.comparing((String w) -> -counts.get(w)).thenComparing(Comparator.naturalOrder()));
            vocabulary.addAll(words.subList(0, Math.min(words.size(), capacity)));
        } else {
            SubwordTrainer.Result r = SubwordTrainer.train(counts, capacity, options.type() == TokenizerType.WORDPIECE);
            vocabulary.addAll(r.symbols());
            if (options.type() == TokenizerType.BPE) merges = r.merges();
        }
        return new Tokenizer(options.type(), options.lowercase(), 1, vocabulary, merges);
    }

    /** Token counts of a pass's texts, growing as they come. */
    private static final class Lengths {
        int[] values = new int[64];
        int n;

        void add(int length) {
            if (n == values.length) values = Arrays.copyOf(values, 2 * n);
            values[n++] = length;
        }

        int[] sorted() {
            int[] out = Arrays.copyOf(values, n);
            Arrays.sort(out);
            return out;
        }
    }

    /** The same tokenizer encoding to {@code length} tokens. */
    public Tokenizer withMaxLength(int length) {
        return new Tokenizer(type, lowercase, length, vocabulary, merges);
    }

    /** The {@value #LENGTH_PERCENTILE} quantile of the texts' token counts, from 1 to {@value #MAX_DEFAULT_LENGTH}. */
    int chooseMaxLength(List<String> texts) {
        return quantileLength(texts.parallelStream().mapToInt(t -> tokenize(t).length).sorted().toArray());
    }

    private static int quantileLength(int[] lengths) {
        int q = lengths[(int) Math.min(lengths.length - 1, Math.ceil(LENGTH_PERCENTILE * lengths.length) - 1)];
        return Math.max(1, Math.min(MAX_DEFAULT_LENGTH, q));
    }

    public TokenizerType type() {
        return type;
    }

    public boolean lowercase() {
        return lowercase;
    }

    /** Tokens per encoded text. */
    public int maxLength() {
        return maxLength;
    }

    /** Number of ids, the reserved ones included: the {@code input_dim} of the embedding that reads them. */
    public int vocabularySize() {
        return vocabulary.size();
    }

    /** The tokens in id order. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** BPE merges in the order learned (empty for the other types). */
    public List<String[]> merges() {
        List<String[]> out = new ArrayList<>();
        for (String[] m : merges) out.add(m.clone());
        return out;
    }

    /** The ids of all of {@code text}'s tokens, neither padded nor cut. */
    public int[] tokenize(String text) {
        List<String> words = Words.split(text, lowercase);
        int[][] parts = new int[words.size()][];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = word(words.get(i));
            n += parts[i].length;
        }
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    /** The tokens of {@code text} as strings (unknown ones as {@value #OOV_TOKEN}), for inspection. */
    public List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (int id : tokenize(text)) out.add(vocabulary.get(id));
        return out;
    }

    /** {@code text} as {@link #maxLength()} ids: cut at the end, or padded at the end with {@value #PAD}. */
    public int[] encode(String text) {
        int[] ids = tokenize(text);
        return ids.length == maxLength ? ids : Arrays.copyOf(ids, maxLength);
    }

    /** {@code texts} as a {@code [N, maxLength]} tensor of ids (whole numbers as floats), on all cores. */
    public Tensor encode(List<String> texts) {
        int n = texts.size();
        if ((long) n * maxLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " texts of " + maxLength + " tokens are too many to hold in memory (more than 2^31 ids)");
        }
        float[] data = new float[n * maxLength];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] ids = tokenize(texts.get(i));
            for (int j = 0, m = Math.min(ids.length, maxLength); j < m; j++) data[i * maxLength + j] = ids[j];
        });
        return Tensor.wrap(data, n, maxLength);
    }

    private int[] word(String w) {
        if (type == TokenizerType.WORD) return new int[]{ids.getOrDefault(w, OOV)};
        int[] cached = cache.get(w);
        if (cached != null) return cached;
        int[] out = type == TokenizerType.BPE ? bpe(w) : wordPiece(w);
        if (cache.size() < CACHE_LIMIT) cache.put(w, out);
        return out;
    }

    /** Applies the merges to the word's characters, the earliest-learned applicable merge first. */
    private int[] bpe(String w) {
        List<String> s = new ArrayList<>(SubwordTrainer.initialSymbols(w, false));
        while (s.size() > 1) {
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int k = 0; k + 1 < s.size(); k++) {
                Integer rank = mergeRank.get(TokenizerJson.mergeKey(s.get(k), s.get(k + 1)));
                if (rank != null && rank < best) {
                    best = rank;
                    at = k;
                }
            }
            if (at < 0) break;
            String a = s.get(at);
            String b = s.get(at + 1);
            List<String> next = new ArrayList<>(s.size());
            for (int k = 0; k < s.size(); k++) {
                if (k + 1 < s.size() && s.get(k).equals(a) && s.get(k + 1).equals(b)) {
                    next.add(SubwordTrainer.join(a, b, false));
                    k++;
                } else {
                    next.add(s.get(k));
                }
            }
            s = next;
        }
        int[] out = new int[s.size()];
        for (int k = 0; k < out.length; k++) out[k] = ids.getOrDefault(s.get(k), OOV);
        return out;
    }

    /** Greedy longest match from the left; a word that cannot be covered is one unknown token. */
    private int[] wordPiece(String w) {
        int[] cps = w.codePoints().toArray();
        if (cps.length > MAX_WORDPIECE_CHARS) return new int[]{OOV};
        List<Integer> out = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            int found = -1;
            int end = cps.length;
            for (; end > start; end--) {
                String piece = (start > 0 ? CONTINUATION : "") + new String(cps, start, end - start);
                Integer id = ids.get(piece);
                if (id != null && id > OOV) {
                    found = id;
                    break;
                }
            }
            if (found < 0) return new int[]{OOV};
            out.add(found);
            start = end;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The JSON form saved in model files; see {@link #fromJson}. */
    public Map<String, Object> toJson() {
        return TokenizerJson.write(this);
    }

    /**
     * Reads what {@link #toJson} wrote (after a JSON round trip), checking every field: known keys only, the type,
     * sizes and bounds, the reserved tokens at ids 0 and 1, no duplicate or empty tokens, merges over known symbols.
     *
     * @param where names the source in messages, e.g. {@code "m.nabla: tokenizer.json"}
     * @throws dev.nabla.io.JsonException naming {@code where} and the field
     */
    public static Tokenizer fromJson(Object json, String where) {
        return TokenizerJson.read(json, where);
    }

    @Override
    public String toString() {
        return type.id() + " tokenizer, " + vocabularySize() + " ids, max length " + maxLength + (lowercase ? ", lower-cased" : "");
    }
}
