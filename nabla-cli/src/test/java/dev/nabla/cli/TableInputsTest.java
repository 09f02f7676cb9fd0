package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.io.Json;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Tables as users have them, through the command line: text columns, missing cells, encodings, delimiters, column
 * choice, the task and why, class and sample weights. The tables are made here, by a seeded generator.
 */
class TableInputsTest {

    @TempDir
    Path dir;

    /** Rows of {@code id, color (3 values), size (numeric, some missing), city (40 values), label}: red means yes. */
    private Path mixed(String name, int rows, long seed, String delimiter) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] colors = {"red", "blue", "green"};
        String[] missing = {"", "NA", "?", "nan"};
        StringBuilder sb = new StringBuilder(String.join(delimiter, "id", "color", "size", "city", "label")).append('\n');
        for (int i = 0; i < rows; i++) {
            String color = colors[rng.nextInt(3)];
            String size = rng.nextInt(5) == 0 ? missing[rng.nextInt(4)] : String.format(Locale.ROOT, "%.2f", rng.nextDouble() * 3);
            sb.append(String.join(delimiter, String.valueOf(i), color, size, "c" + rng.nextInt(40), color.equals("red") ? "yes" : "no")).append('\n');
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    @Test
    void textColumnsAndMissingCellsTrainPredictAndEvaluate() throws IOException {
        Path data = mixed("mixed.csv", 300, 1, ",");
        Path model = dir.resolve("m.nabla");
        Map<String, Object> j = nabla("train", "--data", data, "--ignore", "id", "--epochs", 20, "--lr", 0.01, "--out", model, "--json").json();
        assertEquals("classification", j.get("task"));
        assertEquals("'label' holds text (e.g. 'no'), so its values are classes", j.get("task_reason"));
        Map<String, Object> info = nabla("info", "--model", model, "--json").json();
        assertEquals(List.of("color", "size", "city"), info.get("features"));
        // what the model saved: one-hot colours, a median and missing indicator for size, hashed cities
        Preprocessing p = Preprocessing.of(Model.load(model));
        assertEquals(List.of("color=blue", "color=green", "color=red", "size", "size_missing"), p.tableColumns().inputNames().subList(0, 5));
        assertEquals(5 + 32, p.tableColumns().width());

        // unseen colour and city, missing size: predicted, never an error; red is yes
        Path rows = Files.writeString(dir.resolve("new.csv"), "city,size,color,id\nnowhere,,red,1\nc3,N/A,blue,2\nc4,1.5,purple,3\n");
        List<Object> predictions = Json.asArray(nabla("predict", "--model", model, rows, "--json").json().get("predictions"), "p");
        assertEquals(3, predictions.size());
        assertEquals("yes", Json.asObject(predictions.get(0), "p").get("label"));
        assertEquals("no", Json.asObject(predictions.get(1), "p").get("label"));

        // the library, from the raw cells in the training file's column order, agrees with predict
        Model loaded = Model.load(model);
        Tensor x = Preprocessing.of(loaded).tableColumns().encode(List.of(List.of("1", "red", "", "nowhere", "?")));
        float[] probabilities = loaded.predict(x).toArray();
        double yes = Json.asDouble(Json.asObject(Json.asObject(predictions.get(0), "p").get("probabilities"), "p").get("yes"), "yes");
        assertEquals(yes, probabilities[1], 1e-3);

        Map<String, Object> scores = nabla("evaluate", "--model", model, "--data", mixed("test.csv", 100, 2, ";"), "--json").json();
        assertTrue(Json.asDouble(scores.get("accuracy"), "accuracy") > 0.95, scores.toString());

        List<Object> columns = Json.asArray(info.get("columns"), "columns");
        assertEquals(List.of("one_hot", "numeric", "hashed"), columns.stream().map(c -> Json.asObject(c, "c").get("type")).toList());
        // continued training reads with the saved encoders, and may weigh classes
        assertEquals(0, nabla("train", "--data", data, "--model", model, "--epochs", 1, "--class-weight", "balanced",
                "--out", dir.resolve("more.nabla")).code());

        // saved encoders that do not fit the network are refused at load, naming the field
        Model broken = Model.load(model);
        dev.nabla.data.TableColumns c = p.tableColumns();
        dev.nabla.data.TableColumns fewer = new dev.nabla.data.TableColumns(c.csvColumns(), c.features().subList(0, 2));
        Preprocessing q = new Preprocessing("table", p.task(), p.classes(), fewer.featureColumns(), p.labelName(), null, null, 0, 1,
                null, 1, fewer, p.taskReason());
        broken.metadata().put(Preprocessing.METADATA_KEY, q.toMap());
        Path bad = dir.resolve("bad.nabla");
        broken.save(bad);
        nabla("predict", "--model", bad, rows).assertUsageError(bad.toString(), "preprocessing.columns gives 5 inputs per row");
    }

    @Test
    void invalidUtf8NamesTheFileAndLineAndEncodingReadsIt() throws IOException {
        StringBuilder sb = new StringBuilder("x,drink\n");
        for (int i = 0; i < 20; i++) sb.append(i).append(',').append(i % 2 == 0 ? "café" : "tea").append('\n');
        Path latin = Files.write(dir.resolve("latin.csv"), sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        nabla("train", "--data", latin, "--epochs", 1, "--out", dir.resolve("l.nabla"))
                .assertUsageError(latin + " line 2: not valid UTF-8 text (byte 0xE9)", "--encoding");
        assertFalse(Files.exists(dir.resolve("l.nabla")));
        Map<String, Object> j = nabla("train", "--data", latin, "--encoding", "latin-1", "--epochs", 1, "--out", dir.resolve("l.nabla"), "--json").json();
        assertEquals(List.of("café", "tea"), j.get("classes"));
        // evaluate and predict read it with the flag too, and a UTF-8 file with a byte order mark as it is
        assertEquals(0, nabla("evaluate", "--model", dir.resolve("l.nabla"), "--data", latin, "--encoding", "ISO-8859-1").code());
        nabla("evaluate", "--model", dir.resolve("l.nabla"), "--data", latin).assertUsageError("line 2", "UTF-8");
        Path bom = Files.write(dir.resolve("bom.csv"), ("\uFEFF" + sb).getBytes(StandardCharsets.UTF_8));
        assertEquals(0, nabla("evaluate", "--model", dir.resolve("l.nabla"), "--data", bom).code());
        assertEquals(0, nabla("predict", "--model", dir.resolve("l.nabla"), latin, "--encoding", "cp1252").code());
        nabla("train", "--data", latin, "--encoding", "klingon").assertUsageError("--encoding", "unknown encoding 'klingon'");
    }

    @Test
    void delimitersAreDetectedOrGiven() throws IOException {
        Path semi = mixed("semi.csv", 60, 3, ";");
        Map<String, Object> j = nabla("train", "--data", semi, "--epochs", 1, "--out", dir.resolve("s.nabla"), "--json").json();
        assertEquals(List.of("no", "yes"), j.get("classes"));
        Path tab = mixed("tab.csv", 60, 4, "\t");
        assertEquals(0, nabla("train", "--data", tab, "--delimiter", "\\t", "--epochs", 1, "--out", dir.resolve("t.nabla")).code());
        assertEquals(0, nabla("predict", "--model", dir.resolve("t.nabla"), semi).code());
        nabla("train", "--data", tab, "--delimiter", "ab").assertUsageError("--delimiter", "not one character");
    }

    @Test
    void columnsAndIgnoreChooseTheFeatures() throws IOException {
        Path data = mixed("c.csv", 60, 5, ",");
        nabla("train", "--data", data, "--columns", "color,weight").assertUsageError("--columns", "no column 'weight'",
                "(columns: id, color, size, city, label)");
        nabla("train", "--data", data, "--ignore", "label").assertUsageError("--ignore", "'label' is the label column");
        Path model = dir.resolve("c.nabla");
        assertEquals(0, nabla("train", "--data", data, "--columns", "size,color", "--epochs", 1, "--out", model).code());
        assertEquals(List.of("color", "size"), nabla("info", "--model", model, "--json").json().get("features"));
        nabla("train", "--data", data, "--model", model, "--ignore", "id", "--out", dir.resolve("c2.nabla"))
                .assertUsageError("--ignore", "not with --model");
        nabla("train", "--data", CliTestSupport.imageFolder(dir, "img", 3, 1), "--columns", "a").assertUsageError("--columns", "only for CSV tables");
    }

    @Test
    void theTaskIsSaidWithItsReasonAndCanBeForced() throws IOException {
        // the case: a small regression table whose target is 16 whole numbers
        StringBuilder sb = new StringBuilder("a,b,target\n");
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < 200; i++) {
            double a = rng.nextDouble();
            double b = rng.nextDouble();
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", a, b, (int) (a * 10 + b * 6)));
        }
        Path data = Files.writeString(dir.resolve("r.csv"), sb);
        CliTestSupport.Run run = nabla("train", "--data", data, "--epochs", 1, "--out", dir.resolve("r.nabla"));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("Task: regression, 'target' holds whole numbers with 16 distinct values (classes need at most 10)"), run.err());
        assertTrue(run.out().contains("task: regression,") && run.out().contains("--task classification"), run.out());
        Map<String, Object> forced = nabla("train", "--data", data, "--task", "classification", "--epochs", 1, "--out",
                dir.resolve("c.nabla"), "--json").json();
        assertEquals("classification", forced.get("task"));
        assertEquals("as --task classification says", forced.get("task_reason"));
        assertEquals(16, Json.asArray(forced.get("classes"), "classes").size());
        assertEquals("as --loss mse needs", nabla("train", "--data", data, "--loss", "mse", "--epochs", 1, "--out",
                dir.resolve("m.nabla"), "--json").json().get("task_reason"));
        nabla("train", "--data", data, "--task", "ranking").assertUsageError("--task", "unknown task 'ranking'");
        nabla("train", "--data", data, "--task", "regression", "--loss", "cross-entropy").assertUsageError("--task regression", "--loss cross-entropy");
        nabla("train", "--data", mixed("t.csv", 20, 1, ","), "--task", "regression").assertUsageError("is not a number (a regression target must be numeric)");
    }

    /** 200 rows whose feature says nothing; 10% are class "rare"; an optional weight column. */
    private Path imbalanced(String weightForRare) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("noise,w,label\n");
        for (int i = 0; i < 200; i++) {
            boolean rare = i % 10 == 0;
            sb.append(String.format(Locale.ROOT, "%.3f", rng.nextDouble() * 0.01)).append(',')
                    .append(rare ? weightForRare : "1").append(',').append(rare ? "rare" : "common").append('\n');
        }
        return Files.writeString(dir.resolve("imb" + weightForRare + ".csv"), sb);
    }

    /** The mean predicted probability of "rare" after training a linear model with the given extra flags. */
    private double rareProbability(Path data, Path model, Object... extra) {
        List<Object> args = new java.util.ArrayList<>(List.of("train", "--data", data, "--arch", "", "--epochs", 40, "--lr", 0.05,
                "--batch-size", 200, "--val-split", 0, "--out", model, "--json"));
        // the weight column is no feature: --sample-weight leaves it out itself, otherwise --ignore does
        if (!List.of(extra).contains("--sample-weight")) args.addAll(List.of("--ignore", "w"));
        args.addAll(List.of(extra));
        nabla(args.toArray()).json();
        List<Object> predictions = Json.asArray(nabla("predict", "--model", model, data, "--json").json().get("predictions"), "p");
        double sum = 0;
        for (Object o : predictions) sum += Json.asDouble(Json.asObject(Json.asObject(o, "p").get("probabilities"), "p").get("rare"), "rare");
        return sum / predictions.size();
    }

    @Test
    void classWeightsMoveAnUninformedModelTowardsTheRareClass() throws IOException {
        Path data = imbalanced("1");
        double plain = rareProbability(data, dir.resolve("p.nabla"));
        double balanced = rareProbability(data, dir.resolve("b.nabla"), "--class-weight", "balanced");
        double byName = rareProbability(data, dir.resolve("n.nabla"), "--class-weight", "rare=9,common=1");
        assertEquals(0.1, plain, 0.05);
        assertEquals(0.5, balanced, 0.05);
        assertEquals(0.5, byName, 0.05);
        nabla("train", "--data", data, "--class-weight", "zebra=2").assertUsageErrorAfterProgress("--class-weight", "no class 'zebra'", "common, rare");
        nabla("train", "--data", data, "--class-weight", "rare=x").assertUsageError("--class-weight", "bad entry 'rare=x'");
        nabla("train", "--data", dir.resolve("../nope.csv"), "--class-weight", "balanced").assertUsageError("--data");
    }

    @Test
    void sampleWeightsComeFromAColumnThatIsNotAFeature() throws IOException {
        Path heavy = imbalanced("9");
        double weighted = rareProbability(heavy, dir.resolve("w.nabla"), "--sample-weight", "w");
        assertEquals(0.5, weighted, 0.05);
        assertEquals(List.of("noise"), nabla("info", "--model", dir.resolve("w.nabla"), "--json").json().get("features"));
        nabla("train", "--data", imbalanced("-1"), "--sample-weight", "w").assertUsageErrorAfterProgress("--sample-weight", "data row 1", "at least 0");
        nabla("train", "--data", heavy, "--sample-weight", "weight").assertUsageErrorAfterProgress("--sample-weight", "no column 'weight'");
        nabla("train", "--data", heavy, "--sample-weight", "w", "--columns", "noise,w").assertUsageError("--sample-weight", "also in --columns");
    }
}
