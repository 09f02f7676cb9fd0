package dev.nabla.text;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    private static final Tokenizer.Options WORD = Tokenizer.Options.defaults();

    @Test
    void normalisesWithNfkcAndSplitsWordsFromPunctuation() {
        // full-width letters, a ligature, a decomposed accent, a zero-width joiner and a non-breaking space
        assertEquals(List.of("the", "café", "'", "s", "fine", "!"), Words.split("Ｔｈｅ cafe\u0301's\u00A0ﬁne\u200D!", true));
        assertEquals(List.of("The", "Café"), Words.split("The  Café", false));
        assertEquals(List.of("x2", "-", "3"), Words.split("x2-3", true));
    }

    @Test
    void lowerCasingIsConfigurable() {
        List<String> texts = List.of("Apple apple APPLE");
        assertEquals(List.of("apple", "apple", "apple"), Tokenizer.train(texts, WORD).tokens("Apple apple APPLE"));
        Tokenizer cased = Tokenizer.train(texts, WORD.lowercase(false));
        assertEquals(5, cased.vocabularySize());
        assertEquals(List.of("Apple", Tokenizer.OOV_TOKEN), cased.tokens("Apple aPPle"));
    }

    @Test
    void vocabularyCapKeepsTheMostFrequentWordsAndTheRestAreOutOfVocabulary() {
        List<String> texts = List.of("b b b a a c", "c c d");
        Tokenizer t = Tokenizer.train(texts, WORD.vocabularySize(4));
        // b and c are seen 3 times each (ties alphabetical), a twice, d once
        assertEquals(List.of(Tokenizer.PAD_TOKEN, Tokenizer.OOV_TOKEN, "b", "c"), t.vocabulary());
        assertArrayEquals(new int[]{2, 3, Tokenizer.OOV, Tokenizer.OOV, Tokenizer.OOV}, t.tokenize("b c a d never"));
    }

    @Test
    void encodesToFixedLengthPaddingAndCuttingAtTheEnd() {
        Tokenizer t = Tokenizer.train(List.of("one two three four"), WORD.maxLength(3));
        assertArrayEquals(new int[]{2, 0, 0}, t.encode("four"));
        // all seen once: ids in alphabetical order (four 2, one 3, three 4, two 5)
        assertArrayEquals(new int[]{3, 5, 4}, t.encode("one two three four"));
        Tensor x = t.encode(List.of("four", "", "one two three four five"));
        assertArrayEquals(new int[]{3, 3}, x.shape());
        assertArrayEquals(new float[]{2, 0, 0, 0, 0, 0, 3, 5, 4}, x.toArray());
    }

    @Test
    void maxLengthIsChosenFromTheTrainingTexts() {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 100; i++) texts.add("w ".repeat(i));
        // 95% of the texts have at most 95 tokens
        assertEquals(95, Tokenizer.train(texts, WORD).maxLength());
        assertEquals(Tokenizer.MAX_DEFAULT_LENGTH, Tokenizer.train(List.of("w ".repeat(1000)), WORD).maxLength());
        assertEquals(1, Tokenizer.train(List.of("", "a"), WORD).maxLength());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.train(List.of(" ", "\t\u200B"), WORD));
        assertTrue(e.getMessage().contains("no words"), e.getMessage());
    }

    /** Sennrich et al.'s example: merges by pair frequency, ties to the pair whose symbols sort first. */
    @Test
    void bpeLearnsTheMergesOfTheKnownExample() {
        Tokenizer t = Tokenizer.train(sennrich(), WORD.type(TokenizerType.BPE).vocabularySize(2 + 11 + 7));
        List<String> merges = t.merges().stream().map(m -> m[0] + " " + m[1]).toList();
        assertEquals(List.of("e s", "es t</w>", "l o", "e w", "ew est</w>", "n ewest</w>", "lo w</w>"), merges);
        assertEquals(List.of("newest</w>", "lo", "w", "est</w>", "low</w>"), t.tokens("newest lowest low"));
        assertEquals(List.of("w", "i", "d", "est</w>", Tokenizer.OOV_TOKEN, "o", "w</w>"), t.tokens("widest zow"));
    }

    @Test
    void wordPieceMatchesTheLongestPiecesAndAnUncoverableWordIsOneUnknown() {
        Tokenizer t = Tokenizer.train(sennrich(), WORD.type(TokenizerType.WORDPIECE).vocabularySize(2 + 11 + 4));
        assertTrue(t.vocabulary().containsAll(List.of("##es", "##est", "##ow", "low")), t.vocabulary().toString());
        assertEquals(List.of("low", "##est"), t.tokens("lowest"));
        assertEquals(List.of("w", "##i", "##d", "##est"), t.tokens("widest"));
        assertEquals(List.of(Tokenizer.OOV_TOKEN, "low"), t.tokens("lowz low"));
        assertTrue(t.merges().isEmpty());
    }

    @Test
    void subwordVocabularyIsCappedAndDeterministic() {
        List<String> texts = new ArrayList<>(sennrich());
        Tokenizer a = Tokenizer.train(texts, WORD.type(TokenizerType.BPE).vocabularySize(8));
        Collections.reverse(texts);
        Tokenizer b = Tokenizer.train(texts, WORD.type(TokenizerType.BPE).vocabularySize(8));
        assertEquals(8, a.vocabularySize());
        assertEquals(a.vocabulary(), b.vocabulary());
        // only the 6 most frequent characters fit: e, s, t</w>, w, ... the rest are unknown
        assertTrue(a.tokens("widest").contains(Tokenizer.OOV_TOKEN));
    }

    @Test
    void typesParseAndUnknownOnesAreRejected() {
        assertEquals(TokenizerType.WORDPIECE, TokenizerType.parse("WordPiece"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerType.parse("sentencepiece"));
        assertTrue(e.getMessage().contains("word, bpe, wordpiece"), e.getMessage());
    }

    static List<String> sennrich() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5; i++) texts.add("low");
        for (int i = 0; i < 2; i++) texts.add("lower");
        for (int i = 0; i < 6; i++) texts.add("newest");
        for (int i = 0; i < 3; i++) texts.add("widest");
        return texts;
    }
}
