package dev.nabla.data;

import dev.nabla.dataset.Batch;
import dev.nabla.text.Tokenizer;
import dev.nabla.text.TokenizerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A text folder read file by file gives the tokenizer and the encoded batches of the folder loaded whole. */
class TextFolderDatasetTest {

    private static final String[] WORDS = "the film was très bon mauvais dull great ÉLAN naïve plot, acting! story? ok".split(" ");

    @TempDir
    Path dir;

    /** More files than one pass chunk, so the pass crosses chunk boundaries; a byte order mark on some. */
    private Path folder(int perClass) throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        for (String cls : List.of("neg", "pos")) {
            Path d = Files.createDirectories(dir.resolve("texts").resolve(cls).resolve(cls.equals("pos") ? "nested" : "."));
            for (int i = 0; i < perClass; i++) {
                StringBuilder sb = new StringBuilder(i % 7 == 0 ? "\uFEFF" : "");
                for (int w = 0, n = 1 + rng.nextInt(30); w < n; w++) sb.append(WORDS[rng.nextInt(WORDS.length)]).append(w % 5 == 4 ? "\n" : " ");
                Files.writeString(d.resolve(String.format(Locale.ROOT, "%03d.txt", i)), sb);
            }
        }
        return dir.resolve("texts");
    }

    @Test
    void theStreamedFitGivesTheInMemoryTokenizerAndEncodingBitForBit() throws Exception {
        Path texts = folder(160);
        TextSamples whole = TextFolderLoader.load(texts);
        TextFolderDataset streamed = TextFolderDataset.open(texts);
        assertEquals(whole.preprocessing(), streamed.preprocessing());
        assertEquals(whole.sources(), streamed.files().stream().map(Path::toString).toList());
        assertArrayEquals(whole.labels(), streamed.labels());
        assertTrue(streamed.size() > TextFolderDataset.PASS_CHUNK);
        int[] train = Split.indices(whole.size(), 0.2, 42)[0];
        for (Tokenizer.Options o : List.of(Tokenizer.Options.defaults(), Tokenizer.Options.defaults().vocabularySize(12),
                Tokenizer.Options.defaults().type(TokenizerType.BPE).vocabularySize(40),
                Tokenizer.Options.defaults().type(TokenizerType.WORDPIECE).vocabularySize(40).lowercase(false),
                Tokenizer.Options.defaults().type(TokenizerType.BPE).vocabularySize(30).maxLength(7))) {
            Tokenizer inMemory = Tokenizer.train(whole.select(train).texts(), o);
            Tokenizer fromFiles = Tokenizer.train(streamed.pass(train), o);
            assertEquals(inMemory.toJson(), fromFiles.toJson(), o.toString());
            LoadedData encoded = whole.select(train).encode(inMemory);
            Batch b = streamed.withTokenizer(fromFiles).subset(train).batch(range(train.length));
            assertArrayEquals(encoded.x().toArray(), b.inputs().get(0).toArray(), o.toString());
            assertArrayEquals(encoded.y().toArray(), b.targets().toArray(), o.toString());
            assertArrayEquals(encoded.x().shape(), b.inputs().get(0).shape());
        }
    }

    @Test
    void aSmallFolderEncodesAsWorkedOutByHand() throws Exception {
        Path root = dir.resolve("tiny");
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("a/1.txt"), "b a a");
        Files.writeString(root.resolve("b/2.txt"), "c B a d");
        TextFolderDataset d = TextFolderDataset.open(root);
        Tokenizer t = Tokenizer.train(d.pass(new int[]{0, 1}), Tokenizer.Options.defaults().vocabularySize(5));
        // counts a:3 b:2 c:1 d:1; 3 ids left after the reserved 2: a, b, then c before d (a tie, alphabetical)
        assertEquals(List.of("<pad>", "<unk>", "a", "b", "c"), t.vocabulary());
        // lengths 3 and 4: the 95% quantile of 2 texts is the longer
        assertEquals(4, t.maxLength());
        Batch b = d.withTokenizer(t).batch(new int[]{1, 0});
        assertArrayEquals(new float[]{4, 3, 2, 1, 3, 2, 2, 0}, b.inputs().get(0).toArray());
        assertArrayEquals(new float[]{1, 0}, b.targets().toArray());
    }

    @Test
    void aFileThatStopsDecodingIsAnErrorNamingItWhenReadAgain() throws Exception {
        Path root = folder(5);
        TextFolderDataset d = TextFolderDataset.open(root);
        int[] all = range(d.size());
        TextFolderDataset encoded = d.withTokenizer(Tokenizer.train(d.pass(all), Tokenizer.Options.defaults()));
        encoded.batch(all);
        Path file = d.files().get(3);
        Files.write(file, "fine \u00e9".getBytes(StandardCharsets.ISO_8859_1));
        DataException e = assertThrows(DataException.class, () -> encoded.batch(all));
        assertEquals(file + ": is not UTF-8 text (byte 0xE9 at offset 5); save it as UTF-8", e.getMessage());
        Files.delete(file);
        assertEquals(file + ": no such file", assertThrows(DataException.class, () -> encoded.get(3)).getMessage());
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

}
