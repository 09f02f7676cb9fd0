package dev.nabla.text;

import dev.nabla.io.ModelArchive;
import dev.nabla.io.ModelFormatException;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerInModelFileTest {

    @TempDir
    Path dir;

    private Model textModel(Tokenizer t) {
        Sequential net = new Sequential(new Embedding(t.vocabularySize(), 4), new Flatten(), new Dense(2)).seed(3);
        net.build(new int[]{t.maxLength()});
        Model m = new Model(net).tokenizer(t);
        m.compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy());
        return m;
    }

    @Test
    void tokenizerTravelsInTheModelFileAndPredictsTheSame() throws Exception {
        Tokenizer t = Tokenizer.train(List.of("a good film", "a bad film", "so good"), Tokenizer.Options.defaults().type(TokenizerType.BPE));
        Model m = textModel(t);
        Path file = dir.resolve("m.nabla");
        m.save(file);
        assertTrue(ModelArchive.read(file).containsKey("tokenizer.json"));
        Model back = Model.load(file);
        assertEquals(t.vocabulary(), back.tokenizer().vocabulary());
        assertEquals(t.maxLength(), back.tokenizer().maxLength());
        List<String> texts = List.of("good good film", "unknown words here", "");
        assertArrayEquals(TextModels.predict(m, texts).toArray(), TextModels.predict(back, texts).toArray());
    }

    @Test
    void modelsWithoutTextHaveNoTokenizer() throws Exception {
        Sequential net = new Sequential(new Dense(2)).seed(1);
        net.build(new int[]{3});
        Path file = dir.resolve("plain.nabla");
        new Model(net).save(file);
        assertNull(Model.load(file).tokenizer());
        assertThrows(IllegalArgumentException.class, () -> TextModels.predict(Model.load(file), List.of("x")));
    }

    @Test
    void aCorruptTokenizerEntryIsAModelFormatErrorNamingIt() throws Exception {
        Tokenizer t = Tokenizer.train(List.of("a good film", "a bad film"), Tokenizer.Options.defaults());
        Path file = dir.resolve("m.nabla");
        textModel(t).save(file);
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelArchive.read(file));
        String json = new String(entries.get("tokenizer.json"), StandardCharsets.UTF_8);
        for (String broken : List.of(json.replace("\"<unk>\"", "\"<pad>\""), json.replace("\"word\"", "\"char\""), "{", "[]",
                json.replace("\"max_length\":", "\"max_length\":-"))) {
            entries.put("tokenizer.json", broken.getBytes(StandardCharsets.UTF_8));
            Path bad = dir.resolve("bad.nabla");
            ModelArchive.write(bad, entries);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(bad), broken);
            assertTrue(e.getMessage().startsWith(bad + ": tokenizer.json"), e.getMessage());
        }
    }
}
