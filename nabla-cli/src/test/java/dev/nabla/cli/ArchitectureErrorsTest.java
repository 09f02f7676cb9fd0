package dev.nabla.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Bad {@code --arch} files and flags: one "error:" line naming the file, line, layer and key; exit 2; no model file. */
class ArchitectureErrorsTest {

    @TempDir
    static Path dir;

    static Path images;
    static Path csv;

    @BeforeAll
    static void data() throws Exception {
        images = CliTestSupport.imageFolder(dir, "stripes", 4, 1);
        csv = CliTestSupport.classificationCsv(dir, "points.csv", 30, 1, true);
    }

    private static Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Trains on the images with {@code --arch ARCH}, expecting a usage error mentioning every word and no model file. */
    private static void archFails(String arch, String... mentions) {
        Path out = dir.resolve("never.nabla");
        nabla("train", "--data", images, "--arch", arch, "--epochs", 1, "--out", out).assertUsageError(mentions);
        assertFalse(Files.exists(out), "no model file after an error");
    }

    @Test
    void missingFile() {
        archFails("@" + dir.resolve("nope.json"), "--arch", "nope.json", "no such file");
    }

    @Test
    void folderInsteadOfFile() {
        archFails("@" + dir, "--arch", dir.toString(), "folder");
    }

    @Test
    void invalidJsonNamesFileLineAndColumn() throws Exception {
        Path bad = file("bad.json", "{\"layers\": [\n  {\"type\": \"dense\", \"units\": 4,}\n]}\n");
        archFails("@" + bad, "--arch", "bad.json", "line 2", "column");
    }

    @Test
    void notAnObject() throws Exception {
        archFails("@" + file("list.json", "[{\"type\": \"dense\", \"units\": 4}]"), "list.json", "object", "\"layers\"");
    }

    @Test
    void unknownTypeNamesTheLayerIndex() throws Exception {
        Path f = file("type.json", "{\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"denze\", \"units\": 4}]}");
        archFails("@" + f, "--arch", "type.json", "layer 1", "denze", "dense");
    }

    @Test
    void unknownTypeNamesTheLayerName() throws Exception {
        Path f = file("named.json", "{\"layers\": [{\"name\": \"hidden\", \"type\": \"convv\", \"filters\": 4}]}");
        archFails("@" + f, "named.json", "layer 'hidden'", "convv");
    }

    @Test
    void unknownKey() throws Exception {
        Path f = file("key.json", "{\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"dense\", \"unitz\": 4}]}");
        archFails("@" + f, "key.json", "layer 1", "unknown key 'unitz'", "units");
    }

    @Test
    void unknownTopLevelKey() throws Exception {
        archFails("@" + file("top.json", "{\"layer\": []}"), "top.json", "unknown key 'layer'", "layers");
    }

    @Test
    void badValues() throws Exception {
        archFails("@" + file("units.json", "{\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": -3}]}"),
                "units.json", "layer 1", "units", "-3");
        archFails("@" + file("padding.json", "{\"layers\": [{\"name\": \"c\", \"type\": \"conv\", \"filters\": 4, \"kernel_size\": 3,"
                + " \"padding\": \"sideways\"}]}"), "padding.json", "layer 'c'", "padding", "sideways");
        archFails("@" + file("required.json", "{\"layers\": [{\"name\": \"c\", \"type\": \"conv\", \"kernel_size\": 3}]}"),
                "required.json", "layer 'c'", "filters", "missing");
    }

    @Test
    void inputsNamingAnUnknownLayer() throws Exception {
        Path f = file("ghost.json", """
                {"layers": [
                  {"name": "a", "type": "conv", "filters": 4, "kernel_size": 3, "padding": "same"},
                  {"name": "sum", "type": "add", "inputs": ["a", "ghost"]}]}
                """);
        archFails("@" + f, "ghost.json", "layer 'sum'", "'ghost'");
    }

    @Test
    void shapesThatDoNotFitNameTheLayer() throws Exception {
        Path f = file("big.json", "{\"layers\": [{\"name\": \"huge\", \"type\": \"conv\", \"filters\": 4, \"kernel_size\": 30}]}");
        archFails("@" + f, "big.json", "layer 'huge'");
        Path merge = file("merge.json", """
                {"layers": [
                  {"name": "a", "type": "conv", "filters": 4, "kernel_size": 3},
                  {"name": "b", "type": "conv", "filters": 4, "kernel_size": 5},
                  {"name": "sum", "type": "add", "inputs": ["a", "b"]}]}
                """);
        archFails("@" + merge, "merge.json", "layer 'sum'");
    }

    @Test
    void severalInputsCannotTrainFromTheCommandLine() throws Exception {
        Path f = file("two.json", """
                {"inputs": [{"name": "x"}, {"name": "y"}],
                 "layers": [{"name": "sum", "type": "add", "inputs": ["x", "y"]}]}
                """);
        archFails("@" + f, "two.json", "2 inputs");
    }

    @Test
    void aFileNameWithoutTheAt() throws Exception {
        Path f = file("plain.json", "{\"layers\": []}");
        archFails(f.toString(), "--arch", "@" + f);
    }

    @Test
    void aCommaSpecGivenToModel() {
        Path out = dir.resolve("never.nabla");
        nabla("train", "--data", csv, "--label", "species", "--model", "dense:8:relu,dropout:0.2", "--out", out)
                .assertUsageError("--model dense:8:relu,dropout:0.2", "not a model file", "--arch dense:8:relu,dropout:0.2");
        nabla("train", "--data", csv, "--label", "species", "--model", "dense", "--out", out).assertUsageError("--model", "--arch");
        nabla("train", "--data", csv, "--label", "species", "--model", dir.resolve("absent.nabla"), "--out", out)
                .assertUsageError("--model", "absent.nabla", "no such model file");
        assertFalse(Files.exists(out));
    }
}
