package dev.nabla.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nabla.data.Preprocessing;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Layers;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla export}: models trained by {@code nabla train} on a table and on images, written as ONNX and run in
 * ONNX Runtime on the same raw inputs as {@code predict} (CSV values, pixels 0..255), give {@code Model.predict}'s
 * probabilities or values within 1e-5 (relative above 1: prices in their units); bad flags and unexportable layers
 * exit 2 with nothing written.
 */
class ExportCommandTest {

    @TempDir
    Path dir;

    static float[] runOnnx(Path model, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toString(), options)) {
            long[] shape = new long[x.rank()];
            for (int i = 0; i < shape.length; i++) shape[i] = x.shape(i);
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.contiguous().toArray()), shape);
                 OrtSession.Result result = session.run(Map.of("input", in))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] v = new float[out.remaining()];
                out.get(v);
                return v;
            }
        }
    }

    static double assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        System.out.printf("onnx export %s: max difference %.3g%n", what, max);
        assertTrue(max <= 1e-5, what + ": ONNX Runtime differs from predict by " + max);
        return max;
    }

    @Test
    void aTableClassifierGivesProbabilitiesFromRawRows() throws Exception {
        Path points = CliTestSupport.classificationCsv(dir, "points.csv", 90, 1, true);
        Path rows = CliTestSupport.classificationCsv(dir, "rows.csv", 9, 5, false);
        Path file = dir.resolve("points.nabla");
        nabla("train", "--data", points, "--label", "species", "--arch", "dense:16:gelu,dropout:0.1,dense:8:tanh",
                "--epochs", 8, "--out", file, "--json").json();
        Path onnx = dir.resolve("points.onnx");
        CliTestSupport.Run run = nabla("export", "--model", file, "--format", "onnx", "--out", onnx);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("setosa, versicolor, virginica"), run.out());

        Model model = Model.load(file);
        Tensor x = LibraryPredictsLikeTheCliTest.rawRows(rows, Preprocessing.of(model).featureNames());
        float[] onnxOut = runOnnx(onnx, x);
        assertClose(model.predict(x).toArray(), onnxOut, "table classifier");
        for (int i = 0; i < 9; i++) assertEquals(1, onnxOut[3 * i] + onnxOut[3 * i + 1] + onnxOut[3 * i + 2], 1e-5, "probabilities");
    }

    @Test
    void aRegressorGivesValuesInTheTargetsUnits() throws Exception {
        Path prices = CliTestSupport.regressionCsv(dir, "prices.csv", 120, 3);
        Path test = CliTestSupport.regressionCsv(dir, "prices-test.csv", 20, 4);
        Path file = dir.resolve("prices.nabla");
        nabla("train", "--data", prices, "--loss", "mse", "--epochs", 5, "--out", file, "--json").json();
        Path onnx = dir.resolve("prices.onnx");
        assertEquals(0, nabla("export", "--model", file, "--out", onnx).code());

        Model model = Model.load(file);
        Tensor x = LibraryPredictsLikeTheCliTest.rawRows(test, Preprocessing.of(model).featureNames());
        float[] values = runOnnx(onnx, x);
        assertClose(model.predict(x).toArray(), values, "regressor");
        assertTrue(values[0] > 200 && values[0] < 2500, "a price, in its units: " + values[0]);
    }

    @Test
    void imageModelsTakePixels0To255() throws Exception {
        Path images = CliTestSupport.imageFolder(dir, "stripes", 10, 2);
        Path arch = dir.resolve("residual.json");
        Files.writeString(arch, """
                {"layers": [
                  {"name": "stem", "type": "conv", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
                  {"name": "b", "type": "conv", "filters": 4, "kernel_size": 3, "padding": "same", "use_bias": false},
                  {"name": "bn", "type": "batchnorm"},
                  {"name": "sum", "type": "add", "inputs": ["bn", "stem"]},
                  {"type": "relu"},
                  {"type": "avgpool", "pool_size": 2},
                  {"type": "globalmaxpool"}]}
                """);
        List<String> archs = List.of("conv:4:3:relu,maxpool,dense:8:relu", "@" + arch);
        for (int a = 0; a < archs.size(); a++) {
            Path file = dir.resolve("stripes" + a + ".nabla");
            nabla("train", "--data", images, "--arch", archs.get(a), "--epochs", 3, "--batch-size", 8, "--out", file,
                    "--json").json();
            Path onnx = dir.resolve("stripes" + a + ".onnx");
            CliTestSupport.Run run = nabla("export", "--model", file, "--out", onnx);
            assertEquals(0, run.code(), run.err());

            List<Path> files = List.of(images.resolve("stripes-h/000.png"), images.resolve("stripes-v/003.png"));
            float[] pixels = new float[files.size() * 64];
            for (int n = 0; n < files.size(); n++) {
                BufferedImage img = ImageIO.read(files.get(n).toFile());
                for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) pixels[n * 64 + y * 8 + x] = img.getRaster().getSample(x, y, 0);
            }
            Tensor x = Tensor.of(pixels, files.size(), 1, 8, 8);
            assertClose(Model.load(file).predict(x).toArray(), runOnnx(onnx, x), "image model " + archs.get(a));
        }
    }

    @Test
    void badFlagsAndUnexportableLayersExit2WritingNothing() throws Exception {
        Path file = dir.resolve("attention.nabla");
        new Model(new Sequential(Layers.fromToken("masking", "test").named("encoder"), new Dense(2)).build(4, 2)).save(file);
        Path onnx = dir.resolve("rnn.onnx");
        nabla("export", "--model", file, "--out", onnx).assertUsageError("layer 'encoder' (masking) cannot be exported to ONNX");
        assertFalse(Files.exists(onnx), "nothing written");

        Path dense = dir.resolve("dense.nabla");
        new Model(new Sequential(new Dense(2)).build(3)).save(dense);
        nabla("export", "--model", dense, "--format", "tflite", "--out", onnx).assertUsageError("--format", "tflite");
        nabla("export", "--model", dense, "--out", dense).assertUsageError("--out", "is the --model file");
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");
        nabla("export", "--model", dense, "--out", notes).assertUsageError("--out", "not an ONNX model", "--force");
        assertEquals("keep me", Files.readString(notes));
        assertEquals(0, nabla("export", "--model", dense, "--out", notes, "--force").code());
        byte[] first = Files.readAllBytes(notes);
        // an ONNX file is replaced without --force
        assertEquals(0, nabla("export", "--model", dense, "--out", notes).code());
        assertArrayEquals(first, Files.readAllBytes(notes));
        nabla("export", "--model", dir.resolve("missing.nabla"), "--out", onnx).assertUsageError("--model", "no such file");
        // a model of format 1 standardises its inputs outside the network: its export would take other inputs
        for (String v1 : List.of("table-classifier.nabla", "image-classifier.nabla")) {
            nabla("export", "--model", V1ModelFilesCliTest.dir().resolve(v1), "--out", onnx)
                    .assertUsageError("--model", v1, "model format 1");
            assertFalse(Files.exists(onnx), "nothing written");
        }
    }
}
