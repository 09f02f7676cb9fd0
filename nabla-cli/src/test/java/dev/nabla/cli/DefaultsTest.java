package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defaults that work: the default image network fits small images, and on a small regression table the default run
 * does at least as well as an ordinary least-squares fit (computed here) on the test data.
 */
class DefaultsTest {

    @TempDir
    static Path dir;

    @Test
    void theDefaultImageNetworkTrainsOn8x8Images() throws IOException {
        Path images = CliTestSupport.imageFolder(dir, "stripes", 12, 3);
        CliTestSupport.Run r = nabla("train", "--data", images, "--epochs", 1, "--out", dir.resolve("img.nabla"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conv:16:3:relu:same,maxpool:2,conv:32:3:relu:same,maxpool:2"), r.out());
    }

    @Test
    void theDefaultImageNetworkBuildsForEverySize() {
        for (int h = 1; h <= 40; h++) {
            for (int w : new int[]{1, 3, 8, 9, 10, 28, 64}) {
                int[] shape = {3, h, w};
                Module m = ArchSpec.defaultFor(true, shape).build(shape, 2, 1, "images").network();
                assertTrue(m.parameterCount() > 0, h + "x" + w);
            }
        }
        assertEquals(ModelSpec.DEFAULT_IMAGE, ArchSpec.defaultFor(true, new int[]{1, 28, 28}).text(), "unchanged from 10 pixels");
    }

    @Test
    void anErrorInTheDefaultArchitectureNamesNoFlag() {
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ArchSpec.defaultFor(true, new int[]{1, 28, 28}).build(new int[]{5}, 2, 1, "a table"));
        assertTrue(e.getMessage().startsWith("the default architecture (" + ModelSpec.DEFAULT_IMAGE + ")"), e.getMessage());
        assertFalse(e.getMessage().contains("--"), e.getMessage());
    }

    /** Friedman's first regression problem (sklearn's make_friedman1): not linear, 5 features. */
    private static double[][] friedman(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] rows = new double[n][6];
        for (double[] r : rows) {
            for (int j = 0; j < 5; j++) r[j] = rng.nextDouble();
            r[5] = 10 * Math.sin(Math.PI * r[0] * r[1]) + 20 * (r[2] - 0.5) * (r[2] - 0.5) + 10 * r[3] + 5 * r[4] + rng.nextGaussian();
        }
        return rows;
    }

    /** A linear target with much noise, 8 features: least squares is the best one can do. */
    private static double[][] linear(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] rows = new double[n][9];
        for (double[] r : rows) {
            double y = 3;
            for (int j = 0; j < 8; j++) {
                r[j] = rng.nextGaussian();
                y += 0.5 * (j + 1) * r[j];
            }
            r[8] = y + 2 * rng.nextGaussian();
        }
        return rows;
    }

    private static Path csv(String name, double[][] rows) throws IOException {
        int features = rows[0].length - 1;
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < features; j++) sb.append('x').append(j).append(',');
        sb.append("y\n");
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) sb.append(String.format(Locale.ROOT, "%.6f", r[j])).append(j + 1 < r.length ? "," : "\n");
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    /** The test MSE of ordinary least squares (with an intercept) fitted on {@code train}, by the normal equations. */
    static double olsTestMse(double[][] train, double[][] test) {
        int p = train[0].length;   // features + intercept
        double[][] a = new double[p][p + 1];
        for (double[] r : train) {
            double[] x = design(r);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) a[i][j] += x[i] * x[j];
                a[i][p] += x[i] * r[p - 1];
            }
        }
        for (int c = 0; c < p; c++) {   // Gauss-Jordan with partial pivoting
            int pivot = c;
            for (int i = c + 1; i < p; i++) if (Math.abs(a[i][c]) > Math.abs(a[pivot][c])) pivot = i;
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int i = 0; i < p; i++) {
                if (i == c) continue;
                double f = a[i][c] / a[c][c];
                for (int j = c; j <= p; j++) a[i][j] -= f * a[c][j];
            }
        }
        double sse = 0;
        for (double[] r : test) {
            double[] x = design(r);
            double yhat = 0;
            for (int i = 0; i < p; i++) yhat += x[i] * a[i][p] / a[i][i];
            sse += (yhat - r[p - 1]) * (yhat - r[p - 1]);
        }
        return sse / test.length;
    }

    private static double[] design(double[] row) {
        double[] x = new double[row.length];
        System.arraycopy(row, 0, x, 0, row.length - 1);
        x[row.length - 1] = 1;
        return x;
    }

    @Test
    void onSmallRegressionTablesTheDefaultsDoAtLeastAsWellAsLeastSquares() throws IOException {
        for (String kind : List.of("friedman", "linear")) {
            double[][] train = kind.equals("friedman") ? friedman(300, 1) : linear(300, 1);
            double[][] test = kind.equals("friedman") ? friedman(200, 2) : linear(200, 2);
            double ols = olsTestMse(train, test);
            CliTestSupport.Run r = nabla("train", "--data", csv(kind + ".csv", train), "--test", csv(kind + "-test.csv", test),
                    "--out", dir.resolve(kind + ".nabla"), "--json");
            Map<String, Object> json = r.json();
            double mse = Json.asDouble(Json.asObject(json.get("test"), "test").get("mse"), "mse");
            // where the target is linear, least squares is the best fit there is: the defaults match it (a linear model
            // fitted by Adam and early stopping, within 1%); where it is not, the network beats it
            double bound = kind.equals("linear") ? 1.01 * ols : ols;
            assertTrue(mse <= bound, kind + ": the default run's test MSE " + mse + " vs least squares' " + ols + "\n" + r.err());
            assertTrue(r.err().contains("defaults for a small table"), "the run says what the defaults chose:\n" + r.err());
            Map<String, Object> settings = ModelMetadata.training(dev.nabla.train.Model.load(dir.resolve(kind + ".nabla")));
            assertTrue(String.valueOf(settings.get("defaults")).startsWith("defaults for a small table: kept "), settings.toString());
        }
    }

    @Test
    void withEpochsGivenTheDefaultsDoNotChoose() throws IOException {
        CliTestSupport.Run r = nabla("train", "--data", csv("given.csv", linear(100, 5)), "--epochs", 2, "--out", dir.resolve("given.nabla"),
                "--json");
        assertEquals(2, Json.asArray(r.json().get("history"), "history").size());
        assertFalse(r.err().contains("defaults for a small table"), r.err());
    }
}
