package dev.nabla.dashboard;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Callback;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.RunFolder;
import dev.nabla.train.RunRecorder;
import dev.nabla.train.TrainingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (headless Chromium through Selenium): the page loads, its loss curve gains points
 * while a (deliberately slowed) training runs, a page opened after training shows the whole history, and the final
 * state shows the test metrics and confusion matrix; {@link Dashboard#watch} of the recorded runs overlays two of them.
 * Leaves screenshots in {@code target/}: {@code dashboard-training.png}, {@code dashboard-live.png} (the end) and
 * {@code dashboard-compare.png}.
 */
class DashboardBrowserTest {

    private static final int EPOCHS = 12;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void curvesGrowLiveAndALatePageGetsTheHistory() throws Exception {
        Browsers.require();
        Tensor[] data = blobs(60, 5);
        Model model = new Model(new Sequential(new Dense(8, Activation.RELU), new Dense(3)).seed(3));
        model.compile(p -> new Adam(p, 0.02f), new SparseCategoricalCrossEntropy(), new Accuracy());
        try (Dashboard dashboard = Dashboard.start("127.0.0.1", 0)) {
            RunFolder folder = RunFolder.create(dir.resolve("runs"), "blobs");
            RunRecorder recorder = new RunRecorder(dashboard.run("blobs"), folder)
                    .settings(Map.of("optimizer", "adam", "batch_size", 10, "model_summary", "dense:8:relu, dense:3"));
            ChromeDriver browser = Browsers.open(dir.resolve("profile"));
            try {
                browser.get(dashboard.address());
                String liveTab = browser.getWindowHandle();
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));

                // a slow training: 60 ms a batch, so the page sees it happen
                Callback slow = new Callback() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                        try {
                            Thread.sleep(60);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
                CompletableFuture<Void> training = CompletableFuture.runAsync(() -> model.fit(data[0], data[1],
                        new FitOptions().epochs(EPOCHS).batchSize(10).validationSplit(0.2).seed(1).callbacks(slow, recorder)));

                wait.until(d -> points(d, "loss") > 0);
                int before = points(browser, "loss");
                wait.until(d -> points(d, "loss") > before + 2);
                assertTrue(status(browser).startsWith("training"), "the curve grew while the run was training: " + status(browser));
                assertFalse(training.isDone(), "training was still running");
                Path shots = Path.of("target");
                Files.createDirectories(shots);
                Files.write(shots.resolve("dashboard-training.png"), browser.getScreenshotAs(OutputType.BYTES));

                training.get();
                recorder.test(testResults(model, data));
                recorder.close();
                wait.until(d -> !text(d, "#tests .test").isEmpty());
                wait.until(d -> status(d).equals("completed"));
                int livePoints = points(browser, "loss");
                // each epoch gives the train and the validation loss, and there are batch points besides
                assertTrue(livePoints > 2 * EPOCHS, "batch points too: " + livePoints);
                Files.write(shots.resolve("dashboard-live.png"), browser.getScreenshotAs(OutputType.BYTES));

                // a page opened after the run: the whole history replayed
                browser.switchTo().newWindow(WindowType.TAB);
                browser.get(dashboard.address());
                wait.until(d -> points(d, "loss") == livePoints);
                assertEquals(String.valueOf(2 * EPOCHS), attribute(browser, "#chart-metric-accuracy", "data-points"));
                for (String tab : List.of(liveTab, browser.getWindowHandle())) {
                    browser.switchTo().window(tab);
                    String test = text(browser, "#tests .test");
                    assertTrue(test.contains("accuracy"), test);
                    List<String> cells = texts(browser, "#tests .test table.confusion td");
                    assertEquals(9, cells.size(), "a 3 x 3 confusion matrix");
                    long total = 0;
                    for (String c : cells) total += Long.parseLong(c.strip());
                    assertEquals(data[0].shape(0), total, "every test sample is in the matrix");
                    assertEquals(EPOCHS + "/" + EPOCHS, text(browser, "#runs tbody tr td:nth-child(4)"));
                }

                // nabla dashboard DIR: the recorded run and a second one, overlaid and side by side
                Model other = new Model(new Sequential(new Dense(8, Activation.RELU), new Dense(3)).seed(4));
                other.compile(p -> new Adam(p, 0.005f), new SparseCategoricalCrossEntropy(), new Accuracy());
                try (RunRecorder second = new RunRecorder(RunFolder.create(dir.resolve("runs"), "blobs-slower"))
                        .settings(Map.of("optimizer", "adam", "batch_size", 10, "learning_rate", 0.005))) {
                    other.fit(data[0], data[1], new FitOptions().epochs(EPOCHS).batchSize(10).validationSplit(0.2).seed(1).callbacks(second));
                }
                try (Dashboard runs = Dashboard.watch(dir.resolve("runs"), "127.0.0.1", 0)) {
                    browser.switchTo().newWindow(WindowType.TAB);
                    browser.get(runs.address());
                    wait.until(d -> "2".equals(attribute(d, "body", "data-runs")));
                    // two runs of three loss curves each: per batch, per epoch, validation
                    wait.until(d -> "6".equals(attribute(d, "#chart-loss", "data-series")));
                    assertEquals(List.of("learning_rate"), texts(browser, "#settings tr.differs td:first-child"));
                    Files.write(shots.resolve("dashboard-compare.png"), browser.getScreenshotAs(OutputType.BYTES));
                    // unticking a run takes its curves off the charts
                    ((JavascriptExecutor) browser).executeScript("document.querySelector('#runs tbody tr:nth-child(2) input').click();");
                    wait.until(d -> "3".equals(attribute(d, "#chart-loss", "data-series")));
                }
            } finally {
                browser.quit();
            }
        }
    }

    private static int points(WebDriver d, String chart) {
        String p = attribute(d, "#chart-" + chart, "data-points");
        return p == null || p.isEmpty() ? 0 : Integer.parseInt(p);
    }

    private static String status(WebDriver d) {
        return text(d, "#runs tbody tr td.status");
    }

    /**
     * The text of the first element matching {@code css}, read in one script: the page redraws its tables a few times
     * a second, so an element found by one call may be gone by the next.
     */
    private static String text(WebDriver d, String css) {
        Object t = ((JavascriptExecutor) d).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return t == null ? "" : t.toString();
    }

    private static String attribute(WebDriver d, String css, String name) {
        Object t = ((JavascriptExecutor) d).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
        return t == null ? null : t.toString();
    }

    /** The numbers in the cells matching {@code css}, read in one script. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver d, String css) {
        return (List<String>) ((JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);", css);
    }

    /** What {@code nabla train} records after testing: samples, metrics and the confusion matrix. */
    private static Map<String, Object> testResults(Model model, Tensor[] data) {
        ConfusionMatrix cm = new ConfusionMatrix(true);
        cm.update(model.predict(data[0]), data[1]);
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Object> row = new ArrayList<>();
            for (int j = 0; j < 3; j++) row.add(cm.count(i, j));
            rows.add(row);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("samples", data[0].shape(0));
        r.put("metrics", new LinkedHashMap<>(model.evaluate(data[0], data[1])));
        r.put("confusion_matrix", Map.of("classes", List.of("a", "b", "c"), "matrix", rows));
        return r;
    }

    static Tensor[] blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] centres = {{2, 0, 0, 1}, {-2, 1, 0, -1}, {0, -2, 2, 0}};
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = centres[c][j] + (float) rng.nextGaussian() * 0.7f;
        }
        return new Tensor[]{Tensor.wrap(x, n, 4), Tensor.wrap(y, n)};
    }
}
