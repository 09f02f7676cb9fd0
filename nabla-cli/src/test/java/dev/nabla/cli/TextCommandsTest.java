package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.text.TextModels;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train, predict, evaluate and info on texts: a folder of .txt class folders and a CSV text column. */
class TextCommandsTest {

    private static final String[] POSITIVE = "good great excellent wonderful superb lovely brilliant delightful".split(" ");
    private static final String[] NEGATIVE = "bad awful terrible poor dreadful boring horrible dismal".split(" ");
    private static final String[] COMMON = "the a film movie was it and this of plot acting story".split(" ");

    @TempDir
    static Path dir;

    static Path folder;
    static Path folderModel;
    static Map<String, Object> folderJson;
    static Path csv;
    static Path csvModel;
    static Map<String, Object> csvJson;

    /** A review of 3 to 12 words, each with even odds one of the class's own words (which the other class never uses). */
    static String review(SplittableRandom rng, boolean positive) {
        String[] own = positive ? POSITIVE : NEGATIVE;
        List<String> words = new ArrayList<>();
        for (int i = 0, n = 3 + rng.nextInt(10); i < n; i++) {
            words.add(rng.nextBoolean() ? own[rng.nextInt(own.length)] : COMMON[rng.nextInt(COMMON.length)]);
        }
        String s = String.join(" ", words);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + (rng.nextBoolean() ? "." : "!");
    }

    static Path textFolder(Path root, int perClass, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        for (String cls : List.of("negative", "positive")) {
            Path d = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                Files.writeString(d.resolve(String.format(Locale.ROOT, "%03d.txt", i)), review(rng, cls.equals("positive")));
            }
        }
        return root;
    }

    static Path textCsv(Path file, int rows, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("id,review,stars,sentiment\n");
        for (int i = 0; i < rows; i++) {
            boolean positive = i % 2 == 0;
            // quoted, with a comma inside, and a numeric column the text model ignores
            sb.append(i).append(",\"").append(review(rng, positive)).append(", really\",").append(rng.nextInt(5)).append(',')
                    .append(positive ? "pos" : "neg").append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }

    @BeforeAll
    static void train() throws Exception {
        folder = textFolder(dir.resolve("reviews"), 100, 1);
        folderModel = dir.resolve("reviews.nabla");
        folderJson = nabla("train", "--data", folder, "--test", textFolder(dir.resolve("reviews-test"), 20, 2), "--epochs", 8,
                "--out", folderModel, "--json").json();
        csv = textCsv(dir.resolve("reviews.csv"), 200, 3);
        csvModel = dir.resolve("csv.nabla");
        csvJson = nabla("train", "--data", csv, "--text-column", "review", "--label", "sentiment", "--tokenizer", "bpe",
                "--vocab-size", 200, "--epochs", 8, "--out", csvModel, "--json").json();
    }

    @Test
    void trainsFromAFolderOfTextFilesWithTheDefaults() {
        assertEquals(List.of("negative", "positive"), folderJson.get("classes"));
        Map<String, Object> text = Json.asObject(folderJson.get("text"), "text");
        assertEquals("word", text.get("tokenizer"));
        assertEquals(true, text.get("lowercase"));
        // 8 + 8 class words + 12 common + "." and "!" + the 2 reserved ids
        assertEquals(32L, text.get("vocabulary_size"));
        long maxLength = (long) text.get("max_length");
        assertTrue(maxLength >= 10 && maxLength <= 13, "95% of reviews have at most 12 words and a mark: " + maxLength);
        double accuracy = Json.asDouble(Json.asObject(folderJson.get("test"), "test").get("accuracy"), "accuracy");
        assertTrue(accuracy >= 0.9, "test accuracy " + accuracy);
        assertEquals(TextDefaults.RECURRENT, folderJson.get("arch"));
    }

    @Test
    void trainingSummarySaysTheTokenizerAndItsMaxLength() throws IOException {
        CliTestSupport.Run r = nabla("train", "--data", folder, "--epochs", 1, "--out", dir.resolve("once.nabla"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Tokenizer: word, vocabulary of 32 ids (of at most 20,000), max length "), r.err());
        assertTrue(r.err().contains("chosen from the data: 95% of the training texts fit"), r.err());
    }

    @Test
    void predictsLiteralTextsAndFilesLikeImages() throws IOException {
        Path file = dir.resolve("mine.txt");
        Files.writeString(file, "An awful, terrible and boring film.");
        CliTestSupport.Run r = nabla("predict", "--model", folderModel, "--text", "A wonderful, superb film", "--text",
                "Dreadful and dismal", file);
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\\R");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].matches("\"A wonderful, superb film\"\\s+positive +\\d+\\.\\d%   negative +\\d+\\.\\d%"), lines[0]);
        assertTrue(lines[1].contains("negative") && lines[1].indexOf("negative") < lines[1].indexOf("positive"), lines[1]);
        assertTrue(lines[2].startsWith(file.toString()) && lines[2].indexOf("negative") < lines[2].indexOf("positive"), lines[2]);

        Map<String, Object> json = nabla("predict", "--model", folderModel, "--text", "Lovely and brilliant", "--json").json();
        Map<String, Object> p = Json.asObject(Json.asArray(json.get("predictions"), "predictions").get(0), "prediction");
        assertEquals("Lovely and brilliant", p.get("input"));
        assertEquals("positive", p.get("label"));
        Map<String, Object> probabilities = Json.asObject(p.get("probabilities"), "probabilities");
        double sum = 0;
        for (Object v : probabilities.values()) sum += Json.asDouble(v, "p");
        assertEquals(1, sum, 1e-5);
    }

    @Test
    void theTokenizerRoundTripsThroughTheModelFile() throws IOException {
        Model m = Model.load(folderModel);
        Tokenizer t = m.tokenizer();
        assertEquals(32, t.vocabularySize());
        // the library, given the loaded model, predicts what the command line printed
        Map<String, Object> json = nabla("predict", "--model", folderModel, "--text", "the plot was poor", "--json").json();
        Map<String, Object> p = Json.asObject(Json.asArray(json.get("predictions"), "predictions").get(0), "prediction");
        float[] probabilities = TextModels.predict(m, List.of("the plot was poor")).toArray();
        assertEquals(probabilities[0], Json.asDouble(Json.asObject(p.get("probabilities"), "p").get("negative"), "negative"), 1e-6);

        CliTestSupport.Run info = nabla("info", "--model", folderModel);
        assertTrue(info.out().contains("Tokenizer:       word, vocabulary of 32 ids, max length " + t.maxLength() + " tokens, lower-cased"), info.out());
        Map<String, Object> infoJson = nabla("info", "--model", folderModel, "--json").json();
        assertEquals("text", infoJson.get("input"));
        assertEquals((long) t.maxLength(), Json.asObject(infoJson.get("text"), "text").get("max_length"));
    }

    /** The default model masks padding: more of it changes no probability. */
    @Test
    void paddingChangesNothingInTheDefaultModel() throws IOException {
        Model m = Model.load(folderModel);
        Tokenizer t = m.tokenizer();
        List<String> texts = List.of("great film", "the plot was boring and awful");
        float[] padded = m.predict(t.encode(texts)).toArray();
        float[] morePadding = m.predict(t.withMaxLength(t.maxLength() + 7).encode(texts)).toArray();
        for (int i = 0; i < padded.length; i++) assertEquals(padded[i], morePadding[i], 1e-6);
    }

    @Test
    void aTextModelTrainsFurtherWithItsTokenizer() throws IOException {
        Path more = dir.resolve("more.nabla");
        Map<String, Object> j = nabla("train", "--model", folderModel, "--data", folder, "--epochs", 1, "--out", more, "--json").json();
        assertEquals(9L, j.get("epochs_done"));
        assertEquals(Model.load(folderModel).tokenizer().vocabulary(), Model.load(more).tokenizer().vocabulary());
        nabla("train", "--model", folderModel, "--data", folder, "--tokenizer", "bpe", "--out", dir.resolve("x.nabla"))
                .assertUsageError("--tokenizer", "leave it out");
    }

    @Test
    void predictReadsFolderTreesOfTextFiles() {
        Map<String, Object> j = nabla("predict", "--model", folderModel, dir.resolve("reviews-test"), "--json").json();
        assertEquals(40, Json.asArray(j.get("predictions"), "predictions").size());
    }

    @Test
    void evaluatesOnTextFolders() {
        Map<String, Object> j = nabla("evaluate", "--model", folderModel, "--data", dir.resolve("reviews-test"), "--json").json();
        assertEquals(40L, j.get("samples"));
        assertTrue(Json.asDouble(j.get("accuracy"), "accuracy") >= 0.9, j.toString());
    }

    @Test
    void trainsFromACsvTextColumnAndPredictsItsRows() {
        assertEquals(List.of("neg", "pos"), csvJson.get("classes"));
        Map<String, Object> text = Json.asObject(csvJson.get("text"), "text");
        assertEquals("bpe", text.get("tokenizer"));
        assertEquals("review", text.get("text_column"));
        assertTrue((long) text.get("vocabulary_size") <= 200);
        List<Object> history = Json.asArray(csvJson.get("history"), "history");
        double valAccuracy = Json.asDouble(Json.asObject(history.get(history.size() - 1), "epoch").get("val_accuracy"), "val_accuracy");
        assertTrue(valAccuracy >= 0.85, "validation accuracy " + valAccuracy);

        Map<String, Object> eval = nabla("evaluate", "--model", csvModel, "--data", csv, "--json").json();
        assertEquals(200L, eval.get("samples"));
        Map<String, Object> pred = nabla("predict", "--model", csvModel, csv, "--text", "superb and lovely", "--json").json();
        List<Object> rows = Json.asArray(pred.get("predictions"), "predictions");
        assertEquals(201, rows.size());
        assertEquals("superb and lovely", Json.asObject(rows.get(0), "p").get("input"));
        assertEquals("pos", Json.asObject(rows.get(0), "p").get("label"));
        assertEquals(csv + " row 1", Json.asObject(rows.get(1), "p").get("input"));
    }

    @Test
    void archWithEmbeddingTakesTheVocabularyFromTheTokenizer() {
        Map<String, Object> j = nabla("train", "--data", folder, "--arch", "embedding:8,flatten", "--tokenizer", "wordpiece",
                "--max-length", 6, "--no-lowercase", "--epochs", 1, "--out", dir.resolve("wp.nabla"), "--json").json();
        Map<String, Object> text = Json.asObject(j.get("text"), "text");
        assertEquals("wordpiece", text.get("tokenizer"));
        assertEquals(6L, text.get("max_length"));
        assertEquals(false, text.get("lowercase"));
        Map<String, Object> embedding = Json.asObject(Json.asArray(Json.asObject(j.get("architecture"), "a").get("layers"), "layers").get(0), "layer");
        assertEquals(text.get("vocabulary_size"), embedding.get("input_dim"));
        assertEquals(8L, embedding.get("output_dim"));
        assertEquals(0L, embedding.get("padding_index"));
    }

    @Test
    void archFilesGetTheVocabularyToo() throws IOException {
        Path arch = dir.resolve("text-arch.json");
        Files.writeString(arch, "{\"layers\": [{\"type\": \"embedding\", \"output_dim\": 8}, {\"type\": \"globalmaxpool1d\"}]}");
        Map<String, Object> j = nabla("train", "--data", folder, "--arch", "@" + arch, "--epochs", 1, "--out", dir.resolve("file.nabla"),
                "--json").json();
        Map<String, Object> info = nabla("info", "--model", dir.resolve("file.nabla"), "--json").json();
        Map<String, Object> embedding = Json.asObject(Json.asArray(Json.asObject(info.get("network"), "n").get("layers"), "layers").get(0), "layer");
        assertEquals(Json.asObject(j.get("text"), "text").get("vocabulary_size"), embedding.get("input_dim"));
        assertEquals(0L, embedding.get("padding_index"));
        Files.writeString(arch, "{\"layers\": [{\"type\": \"embedding\", \"input_dim\": 5, \"output_dim\": 8}, {\"type\": \"flatten\"}]}");
        nabla("train", "--data", folder, "--arch", "@" + arch, "--out", dir.resolve("x.nabla")).assertUsageError("input_dim 5", "32 ids");
    }

    @Test
    void badTextInputGetsOneLineErrors() throws IOException {
        Path latin = Files.createDirectories(dir.resolve("latin/b")).resolve("x.txt");
        Files.createDirectories(dir.resolve("latin/a"));
        Files.writeString(dir.resolve("latin/a/y.txt"), "fine");
        Files.write(latin, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        nabla("train", "--data", dir.resolve("latin"), "--out", dir.resolve("x.nabla")).assertUsageError(latin.toString(), "not UTF-8");

        Files.createDirectories(dir.resolve("empty"));
        nabla("train", "--data", dir.resolve("empty"), "--out", dir.resolve("x.nabla")).assertUsageError("empty");
        Path blank = dir.resolve("blank.csv");
        Files.writeString(blank, "review,label\n,a\n,b\n");
        nabla("train", "--data", blank, "--text-column", "review", "--out", dir.resolve("x.nabla")).assertUsageError("'review' is empty");
        nabla("train", "--data", csv, "--text-column", "body", "--out", dir.resolve("x.nabla")).assertUsageError("no text column 'body'", "review");
        nabla("train", "--data", folder, "--tokenizer", "char", "--out", dir.resolve("x.nabla")).assertUsageError("--tokenizer", "word, bpe, wordpiece");
        nabla("train", "--data", folder, "--vocab-size", 2, "--out", dir.resolve("x.nabla")).assertUsageError("--vocab-size");
        nabla("train", "--data", csv, "--tokenizer", "bpe", "--out", dir.resolve("x.nabla")).assertUsageError("--text-column");
        nabla("train", "--data", csv, "--out", dir.resolve("x.nabla")).assertUsageError("--text-column review");
        nabla("predict", "--model", folderModel).assertUsageError("--text");
        nabla("predict", "--model", folderModel, dir.resolve("missing.txt")).assertUsageError("missing.txt");
        nabla("predict", "--model", folderModel, latin).assertUsageError(latin.toString(), "not UTF-8");
    }

    @Test
    void textFlagsOnOtherDataAreRejected() throws IOException {
        Path table = CliTestSupport.classificationCsv(dir, "iris.csv", 30, 1, true);
        nabla("train", "--data", table, "--max-length", 10, "--label", "species", "--out", dir.resolve("x.nabla"))
                .assertUsageError("--text-column");
        Path images = CliTestSupport.imageFolder(dir, "pics", 3, 1);
        nabla("train", "--data", images, "--tokenizer", "bpe", "--out", dir.resolve("x.nabla")).assertUsageError("--tokenizer", "image");
        Path model = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", table, "--label", "species", "--epochs", 1, "--out", model).code());
        nabla("predict", "--model", model, "--text", "hello").assertUsageError("--text", "table");
    }
}
