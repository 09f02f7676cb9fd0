package dev.nabla.text;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerJsonTest {

    private static final List<String> TEXTS = List.of("The cat sat on the mat.", "Dogs bark; cats don't!", "Naïve café, ﬁne.");

    @Test
    void everyTypeRoundTripsThroughJsonText() {
        for (TokenizerType type : TokenizerType.values()) {
            Tokenizer t = Tokenizer.train(TEXTS, Tokenizer.Options.defaults().type(type).vocabularySize(40).lowercase(false));
            Tokenizer back = Tokenizer.fromJson(Json.parse(Json.write(t.toJson())), "t.json");
            assertEquals(t.vocabulary(), back.vocabulary(), type.id());
            assertEquals(t.maxLength(), back.maxLength());
            assertEquals(t.type(), back.type());
            assertEquals(t.lowercase(), back.lowercase());
            for (String s : List.of("the cats sat", "Unseen wörds, here", "")) assertArrayEquals(t.encode(s), back.encode(s), type.id() + ": " + s);
        }
    }

    @Test
    void corruptTokenizersAreRejectedWithAMessageNamingTheField() {
        rejects(m -> m.put("type", "sentencepiece"), "type");
        rejects(m -> m.remove("vocabulary"), "vocabulary");
        rejects(m -> m.put("max_length", 0L), "max_length");
        rejects(m -> m.put("max_length", 1L << 40), "max_length");
        rejects(m -> m.put("extra", 1L), "unknown key 'extra'");
        rejects(m -> m.put("format", "other"), "format");
        rejects(m -> m.put("version", 2L), "version");
        rejects(m -> vocabulary(m).set(0, "<unk>"), "reserved");
        rejects(m -> vocabulary(m).add(vocabulary(m).get(5)), "repeats vocabulary[5]");
        rejects(m -> vocabulary(m).set(4, ""), "vocabulary[4] is empty");
        rejects(m -> vocabulary(m).set(3, 7L), "vocabulary[3]");
        rejects(m -> m.put("merges", List.of(List.of("q", "z"))), "merges[0]");
        rejects(m -> m.put("merges", List.of(List.of("t"))), "merges[0]");
        rejects(m -> ((List<Object>) m.get("merges")).add(((List<Object>) m.get("merges")).get(0)), "repeats an earlier merge");
    }

    /** Random damage to a valid tokenizer: always either a working tokenizer or a JsonException naming the source. */
    @Test
    void fuzzedTokenizersLoadOrFailCleanly() {
        SplittableRandom rng = new SplittableRandom(7);
        Tokenizer good = Tokenizer.train(TEXTS, Tokenizer.Options.defaults().type(TokenizerType.BPE).vocabularySize(30));
        String text = Json.write(good.toJson());
        int rejected = 0;
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder s = new StringBuilder(text);
            for (int k = 0, n = 1 + rng.nextInt(3); k < n; k++) {
                int at = rng.nextInt(s.length());
                switch (rng.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, "\",[]{}0-9ax".charAt(rng.nextInt(11)));
                    default -> s.setCharAt(at, "\",[]{}0-9ax".charAt(rng.nextInt(11)));
                }
            }
            Object parsed;
            try {
                parsed = Json.parse(s.toString());
            } catch (JsonException e) {
                continue; // not JSON any more: the JSON reader's business
            }
            try {
                Tokenizer t = Tokenizer.fromJson(parsed, "fuzz.json");
                t.encode("the cat");
            } catch (JsonException e) {
                assertTrue(e.getMessage().contains("fuzz.json"), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 20, "rejected " + rejected);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> vocabulary(Map<String, Object> m) {
        return (List<Object>) m.get("vocabulary");
    }

    private static void rejects(Consumer<Map<String, Object>> damage, String mention) {
        Tokenizer t = Tokenizer.train(TEXTS, Tokenizer.Options.defaults().type(TokenizerType.BPE).vocabularySize(30));
        Map<String, Object> m = new LinkedHashMap<>(Json.asObject(Json.parse(Json.write(t.toJson())), "t"));
        m.put("vocabulary", new ArrayList<>(vocabulary(m)));
        m.put("merges", new ArrayList<>((List<Object>) m.get("merges")));
        damage.accept(m);
        JsonException e = assertThrows(JsonException.class, () -> Tokenizer.fromJson(m, "m.nabla: tokenizer.json"));
        assertTrue(e.getMessage().startsWith("m.nabla: tokenizer.json"), e.getMessage());
        assertTrue(e.getMessage().contains(mention), () -> "'" + mention + "' not in: " + e.getMessage());
    }
}
