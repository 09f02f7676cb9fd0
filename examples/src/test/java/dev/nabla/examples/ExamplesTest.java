package dev.nabla.examples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every example program in quick mode ({@code --quick}: a few samples, one or two epochs), through the same
 * {@code run(args)} its {@code main} calls, and checks that it learned (accuracy well above chance) and printed its
 * result. Fashion-MNIST comes from the shared copy next to the repository ({@code ../shared/data/fashion-mnist}); a
 * missing file fails the test with what to do, rather than skipping it.
 */
class ExamplesTest {

    private PrintStream originalOut;
    private ByteArrayOutputStream printed;

    @BeforeEach
    void captureOutput() {
        originalOut = System.out;
        printed = new ByteArrayOutputStream();
        // the examples' output still shows in the test log, and the test can read it
        System.setOut(new PrintStream(new Tee(originalOut, printed), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(originalOut);
    }

    private String output() {
        System.out.flush();
        return printed.toString(StandardCharsets.UTF_8);
    }

    static Path fashionMnist() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("pom.xml")))) p = p.getParent();
        assertNotNull(p, "cannot find the repository root above " + Path.of("").toAbsolutePath());
        Path dir = p.resolve("../shared/data/fashion-mnist").normalize();
        for (String f : new String[]{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), "the examples' tests need Fashion-MNIST: " + dir.resolve(f)
                    + " is missing; fetch it with './nabla datasets download fashion-mnist --dir " + dir + "'");
        }
        return dir;
    }

    @Test
    void fashionMnistMlp() throws Exception {
        Map<String, Double> test = FashionMnistMlp.run("--quick", fashionMnist().toString());
        assertTrue(test.get("accuracy") > 0.7, "accuracy " + test);
        assertTrue(output().contains("test: {loss="), output());
    }

    @Test
    void fashionMnistCnn() throws Exception {
        Map<String, Double> test = FashionMnistCnn.run("--quick", fashionMnist().toString());
        assertTrue(test.get("accuracy") > 0.6, "accuracy " + test);
        assertTrue(output().contains("test: {loss="), output());
    }

    @Test
    void residualCnnTrainsAndReloadsIdentically() throws Exception {
        // run() throws when the reloaded model predicts differently
        Map<String, Double> test = ResidualCnn.run("--quick", fashionMnist().toString());
        assertTrue(test.get("accuracy") > 0.4, "accuracy " + test);
        String out = output();
        assertTrue(out.contains("block1_add (add)"), "the summary names the residual merge:\n" + out);
        assertTrue(out.contains("test accuracy: ") && out.contains("the loaded model predicts the same"), out);
    }

    @Test
    void twoInputModelNeedsBothInputs() throws Exception {
        Map<String, Double> r = TwoInputModel.run("--quick");
        assertTrue(r.get("accuracy") > 0.85, "with both inputs " + r);
        // each input decides one bit of the class: without it, at most half the samples can be right
        assertTrue(r.get("accuracy_without_customer") < 0.6, "customer zeroed " + r);
        assertTrue(r.get("accuracy_without_product") < 0.6, "product zeroed " + r);
        assertTrue(output().contains("the loaded model predicts the same"), output());
    }

    @Test
    void customLayerSavesLoadsAndReadsFromJson() throws Exception {
        Map<String, Double> validation = CustomLayer.run("--quick");
        assertTrue(validation.get("r2") > 0.5, "r2 " + validation);
        String out = output();
        assertTrue(out.contains("scale(init=0.5)"), "the summary shows the custom layer:\n" + out);
        assertTrue(out.contains("\"type\":\"scale\""), "the architecture JSON holds the custom layer:\n" + out);
        assertTrue(out.contains("identical predictions"), out);
    }

    @Test
    void housePriceRegression() throws Exception {
        Map<String, Double> validation = HousePriceRegression.run("--quick");
        // prices have a standard deviation of about 90 thousand
        assertTrue(validation.get("r2") > 0.9, "r2 " + validation);
        assertTrue(validation.get("mae") < 25, "mae in thousands " + validation);
        assertTrue(output().contains("thousand"), output());
    }

    @Test
    void timeSeriesForecast() throws Exception {
        Map<String, Double> validation = TimeSeriesForecast.run("--quick");
        // the noise alone has a variance of 0.01; the naive forecast (the last value) has a mean squared error of about 0.14
        assertTrue(validation.get("loss") < 0.5 * validation.get("naive_mse"), "mse against the naive forecast " + validation);
        assertTrue(output().contains("the next 10 values:"), output());
    }

    @Test
    void imageFolderClassifier(@TempDir Path dir) throws Exception {
        // two classes a CNN tells apart at once: mostly red and mostly blue pictures
        SplittableRandom rng = new SplittableRandom(3);
        for (String cls : new String[]{"blue", "red"}) {
            Files.createDirectories(dir.resolve("pets").resolve(cls));
            for (int i = 0; i < 20; i++) writeImage(dir.resolve("pets").resolve(cls).resolve(i + ".png"), cls.equals("red"), rng);
        }
        Path query = dir.resolve("query.png");
        writeImage(query, true, rng);
        Map<String, Double> validation = ImageFolderClassifier.run("--quick", dir.resolve("pets").toString(), query.toString());
        assertTrue(validation.get("accuracy") >= 0.75, "accuracy " + validation);
        String out = output();
        assertTrue(out.contains(query + ":  blue ") && out.contains("%  red "), "a prediction line naming both classes:\n" + out);
    }

    @Test
    void examplesRefuseUnknownOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TwoInputModel.run("--fast"));
        assertTrue(e.getMessage().contains("--fast"), e.getMessage());
        assertEquals(100, new ExampleArgs(false, java.util.List.of()).pick(100, 5));
        assertEquals(5, ExampleArgs.parse(new String[]{"--quick"}).pick(100, 5));
    }

    private static void writeImage(Path file, boolean red, SplittableRandom rng) throws IOException {
        BufferedImage image = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                int strong = 150 + rng.nextInt(100);
                int weak = rng.nextInt(100);
                int green = rng.nextInt(120);
                image.setRGB(x, y, red ? (strong << 16) | (green << 8) | weak : (weak << 16) | (green << 8) | strong);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
