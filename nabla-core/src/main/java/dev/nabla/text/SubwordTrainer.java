package dev.nabla.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns a subword vocabulary by pair merges (BPE): start from single characters, then repeatedly join the adjacent
 * pair of symbols that occurs most often in the training words (weighted by word count; ties go to the pair whose
 * symbols sort first, so training is deterministic), until the vocabulary is full or no pair occurs twice.
 * Pair counts are updated only for the words a merge touches, so training costs about the size of the text once per
 * merge touched, not per merge.
 */
final class SubwordTrainer {

    /** The learned symbols in vocabulary order (most frequent characters, then merges as made) and the merges. */
    record Result(List<String> symbols, List<String[]> merges) {
    }

    private final List<String> symbols = new ArrayList<>();
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final boolean wordPiece;

    private SubwordTrainer(boolean wordPiece) {
        this.wordPiece = wordPiece;
    }

    /**
     * @param wordCounts  every training word with its count
     * @param capacity    how many symbols the vocabulary may hold (reserved tokens excluded)
     * @param wordPiece   mark symbols after a word's first with {@code ##} (WordPiece) instead of marking the word's
     *                    last symbol with {@code </w>} (BPE)
     */
    static Result train(Map<String, Integer> wordCounts, int capacity, boolean wordPiece) {
        return new SubwordTrainer(wordPiece).run(new TreeMap<>(wordCounts), capacity);
    }

    /** The characters of {@code word} as initial symbols, marked for the style. */
    static List<String> initialSymbols(String word, boolean wordPiece) {
        List<String> out = new ArrayList<>();
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String c = new String(cps, i, 1);
            if (wordPiece && i > 0) c = Tokenizer.CONTINUATION + c;
            if (!wordPiece && i == cps.length - 1) c = c + Tokenizer.END_OF_WORD;
            out.add(c);
        }
        return out;
    }

    /** The symbol joining {@code a} and {@code b}. */
    static String join(String a, String b, boolean wordPiece) {
        return wordPiece ? a + b.substring(Tokenizer.CONTINUATION.length()) : a + b;
    }

    private Result run(TreeMap<String, Integer> counts, int capacity) {
        // characters first, most frequent first; those that do not fit are unknown (-1) and never merged
        Map<String, Long> charFrequency = new HashMap<>();
        for (var e : counts.entrySet()) {
            for (String s : initialSymbols(e.getKey(), wordPiece)) charFrequency.merge(s, (long) e.getValue(), Long::sum);
        }
        List<String> chars = new ArrayList<>(charFrequency.keySet());
        chars.sort(Comparator.comparing((String s) -> -charFrequency.get(s)).thenComparing(Comparator.naturalOrder()));
        for (String c : chars.subList(0, Math.min(chars.size(), capacity))) add(c);

        int n = counts.size();
        int[][] words = new int[n][];
        long[] weight = new long[n];
        int w = 0;
        for (var e : counts.entrySet()) {
            List<String> init = initialSymbols(e.getKey(), wordPiece);
            words[w] = new int[init.size()];
            for (int i = 0; i < init.size(); i++) words[w][i] = symbolIds.getOrDefault(init.get(i), -1);
            weight[w++] = e.getValue();
        }
        Map<Long, Long> pairCount = new HashMap<>();
        Map<Long, Set<Integer>> pairWords = new HashMap<>();
        for (int i = 0; i < n; i++) addPairs(i, words[i], weight[i], pairCount, pairWords, +1);
        PriorityQueue<long[]> queue = new PriorityQueue<>(this::compare);
        for (var e : pairCount.entrySet()) queue.add(new long[]{e.getValue(), e.getKey()});

        List<String[]> merges = new ArrayList<>();
        while (symbols.size() < capacity && !queue.isEmpty()) {
            long[] top = queue.poll();
            long pair = top[1];
            long current = pairCount.getOrDefault(pair, 0L);
            if (current != top[0]) continue; // stale entry: the count changed after it was queued
            if (current < 2) break;
            int a = (int) (pair >>> 32);
            int b = (int) pair;
            String joined = join(symbols.get(a), symbols.get(b), wordPiece);
            // two merge paths can give one string ("a"+"bc", "ab"+"c"): it is one symbol
            int merged = symbolIds.containsKey(joined) ? symbolIds.get(joined) : add(joined);
            merges.add(new String[]{symbols.get(a), symbols.get(b)});
            Set<Long> touched = new HashSet<>();
            for (int i : new ArrayList<>(pairWords.getOrDefault(pair, Set.of()))) {
                // every pair whose count changes, lost or gained, is queued again with its new count
                for (int k = 0; k + 1 < words[i].length; k++) touched.add(key(words[i][k], words[i][k + 1]));
                addPairs(i, words[i], weight[i], pairCount, pairWords, -1);
                words[i] = merge(words[i], a, b, merged);
                addPairs(i, words[i], weight[i], pairCount, pairWords, +1);
                for (int k = 0; k + 1 < words[i].length; k++) touched.add(key(words[i][k], words[i][k + 1]));
            }
            for (long t : touched) {
                long c = pairCount.getOrDefault(t, 0L);
                if (c > 0) queue.add(new long[]{c, t});
            }
        }
        return new Result(List.copyOf(symbols), List.copyOf(merges));
    }

    private int add(String symbol) {
        symbolIds.put(symbol, symbols.size());
        symbols.add(symbol);
        return symbols.size() - 1;
    }

    // most frequent first, then the pair whose symbols sort first
    private int compare(long[] x, long[] y) {
        if (x[0] != y[0]) return Long.compare(y[0], x[0]);
        int c = symbols.get((int) (x[1] >>> 32)).compareTo(symbols.get((int) (y[1] >>> 32)));
        return c != 0 ? c : symbols.get((int) x[1]).compareTo(symbols.get((int) y[1]));
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static void addPairs(int word, int[] s, long weight, Map<Long, Long> counts, Map<Long, Set<Integer>> where, int sign) {
        Map<Long, Long> local = new LinkedHashMap<>();
        for (int k = 0; k + 1 < s.length; k++) {
            if (s[k] < 0 || s[k + 1] < 0) continue;
            local.merge(key(s[k], s[k + 1]), weight, Long::sum);
        }
        for (var e : local.entrySet()) {
            long c = counts.merge(e.getKey(), sign * e.getValue(), Long::sum);
            if (c <= 0) counts.remove(e.getKey());
            if (sign > 0) {
                where.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(word);
            } else {
                Set<Integer> set = where.get(e.getKey());
                if (set != null) {
                    set.remove(word);
                    if (set.isEmpty()) where.remove(e.getKey());
                }
            }
        }
    }

    /** {@code s} with every non-overlapping {@code a b}, left to right, replaced by {@code merged}. */
    static int[] merge(int[] s, int a, int b, int merged) {
        int[] out = new int[s.length];
        int n = 0;
        for (int k = 0; k < s.length; k++) {
            if (k + 1 < s.length && s[k] == a && s[k + 1] == b) {
                out[n++] = merged;
                k++;
            } else {
                out[n++] = s[k];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
