package dev.nabla.spark;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a real Spark cluster of two executor JVMs ({@code local-cluster[2,1,1024]}: a master and two workers in
 * this JVM, each worker starting one executor process of one core), from the Maven jars alone.
 */
class SparkTrainerTest {

    private static final int FEATURES = 4;
    /** As in nabla-core's DataParallelFitTest: float rounding of two means against one, step after step. */
    private static final double TOLERANCE = 1e-6;

    private static JavaSparkContext spark;

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("nabla-spark-test")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                // one core each (local-cluster gives each executor one task slot; the kernels' threads too)
                .set("spark.executor.extraJavaOptions", "-XX:+UseSerialGC -Dnabla.threads=1 --enable-native-access=ALL-UNNAMED")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                // a lost executor is replaced; a barrier stage restarts as a whole
                .set("spark.stage.maxConsecutiveAttempts", "4");
        spark = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stopCluster() {
        if (spark != null) spark.stop();
    }

    @Test
    void twoTasksOfBatch8LearnTheWeightsOfOneOfBatch16(@TempDir Path dir) throws Exception {
        // unshuffled: partition p holds the blocks of 8 rows 2k + p, so step k of the two tasks together is rows
        // 16k .. 16k + 16 of the one task's data, its step k
        List<float[]> rows = blobs(320, 1);
        List<float[]> interleaved = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            for (int block = part; block * 8 < rows.size(); block += 2) interleaved.addAll(rows.subList(block * 8, block * 8 + 8));
        }
        SparkFitOptions options = SparkFitOptions.of(3, 16, dir.resolve("one").toString()).shuffle(false).seed(3);
        Model one = SparkTrainer.fit(spark.parallelize(rows, 1), FEATURES, SparkTrainerTest::model, options);
        Model two = SparkTrainer.fit(spark.parallelize(interleaved, 2), FEATURES, SparkTrainerTest::model,
                new SparkFitOptions(3, 8, 3, false, dir.resolve("two").toString(), options.timeout()));
        assertEquals(1, ((Number) ((Map<?, ?>) one.metadata().get("spark")).get("tasks")).intValue());
        assertEquals(2, ((Number) ((Map<?, ?>) two.metadata().get("spark")).get("tasks")).intValue());
        System.err.println("one task: " + one.metadata().get("spark") + "\ntwo tasks: " + two.metadata().get("spark"));
        assertEquals(3, two.epochsDone());
        float[] a = flat(one.network().parameters());
        float[] b = flat(two.network().parameters());
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assertTrue(worst <= TOLERANCE, "largest weight difference " + worst);
        float[] start = flat(((Sequential) model().network()).build(FEATURES).parameters());
        double moved = 0;
        for (int i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i] - start[i]));
        assertTrue(moved > 100 * TOLERANCE, "weights moved by " + moved);
        assertEquals(one.history().last().get("loss"), two.history().last().get("loss"), 1e-5);
        // rank 0's checkpoint is the model after the last epoch
        assertEquals(3, Model.load(dir.resolve("two").resolve(SparkTrainer.CHECKPOINT)).epochsDone());
    }

    @Test
    void aKilledExecutorRestartsTheStageWhichResumesFromTheCheckpoint(@TempDir Path dir) throws Exception {
        int epochs = 60;
        List<float[]> rows = blobs(4000, 2);
        Path checkpoint = dir.resolve(SparkTrainer.CHECKPOINT);
        CompletableFuture<Model> training = CompletableFuture.supplyAsync(() -> {
            try {
                return SparkTrainer.fit(spark.parallelize(rows, 2), FEATURES, SparkTrainerTest::model,
                        SparkFitOptions.of(epochs, 16, dir.toString()).seed(7).timeout(java.time.Duration.ofSeconds(30)));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // once two epochs are saved, SIGKILL one executor JVM (a child of this JVM, started by a local-cluster worker)
        int savedBeforeKill = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (savedBeforeKill < 2 && System.nanoTime() < deadline && !training.isDone()) {
            Thread.sleep(100);
            if (Files.exists(checkpoint)) savedBeforeKill = Model.load(checkpoint).epochsDone();
        }
        assertTrue(savedBeforeKill >= 2 && savedBeforeKill < epochs, "epochs saved before the kill: " + savedBeforeKill);
        List<ProcessHandle> executors = ProcessHandle.current().descendants()
                .filter(SparkTrainerTest::isExecutor).toList();
        assertEquals(2, executors.size(), "executor processes");
        assertTrue(executors.get(1).destroyForcibly());
        Model model = training.get(240, TimeUnit.SECONDS);
        Map<?, ?> report = (Map<?, ?>) model.metadata().get("spark");
        System.err.println("killed after epoch " + savedBeforeKill + ": " + report);
        assertEquals(epochs, model.epochsDone());
        assertTrue(((Number) report.get("stage_attempt")).intValue() >= 1, "a later attempt of the stage finished: " + report);
        int resumed = ((Number) report.get("resumed_after_epoch")).intValue();
        assertTrue(resumed >= savedBeforeKill && resumed < epochs, "resumed after epoch " + resumed + ": " + report);
        assertEquals(epochs - resumed, ((Number) report.get("epochs_trained")).intValue());
        // a valid model: every weight finite, and it has learnt the blobs
        for (Tensor p : model.network().parameters()) for (float v : p.toArray()) assertTrue(Float.isFinite(v));
        float[] x = new float[rows.size() * FEATURES];
        float[] y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x, i * FEATURES, FEATURES);
            y[i] = rows.get(i)[FEATURES];
        }
        double accuracy = model.evaluate(Tensor.wrap(x, rows.size(), FEATURES), Tensor.wrap(y, rows.size())).get("accuracy");
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        assertFalse(model.history().values("loss").length < epochs, "the history of every epoch, across the restart");
    }

    /** Whether a process is an executor JVM: read from /proc, since ProcessHandle.Info cuts long command lines. */
    private static boolean isExecutor(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("CoarseGrainedExecutorBackend");
        } catch (java.io.IOException e) {
            return false;   // ended meanwhile
        }
    }

    /**
     * Not a test: samples per second of 1 and 2 tasks and the all-reduce's time, for docs/distributed.md. An MLP of
     * Fashion-MNIST's shape (784-256-128-10, 235k parameters) on 12,000 generated rows, 64 rows per task and step.
     * Run with {@code -Dnabla.spark.bench=true -Dtest=SparkTrainerTest#measure*}.
     */
    @Test
    void measureOneAndTwoTasks(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("nabla.spark.bench"));
        SplittableRandom rng = new SplittableRandom(1);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            float[] r = new float[785];
            for (int f = 0; f < 784; f++) r[f] = (float) rng.nextDouble();
            r[784] = i % 10;
            rows.add(r);
        }
        ModelSpec mlp = () -> new Model(new Sequential(new Dense(256, Activation.RELU), new Dense(128, Activation.RELU), new Dense(10)).seed(1))
                .compile(p -> new Sgd(p, 0.01f), new SparseCategoricalCrossEntropy(), new Accuracy());
        for (int tasks : new int[]{1, 2, 1, 2}) {
            Path run = Files.createTempDirectory(dir, "run");
            Model m = SparkTrainer.fit(spark.parallelize(rows, tasks), 784, mlp, SparkFitOptions.of(2, 64, run.toString()));
            System.err.println("measure tasks=" + tasks + " " + m.metadata().get("spark"));
        }
    }

    static Model model() {
        return new Model(new Sequential(new Dense(16, Activation.RELU), new Dense(3)).seed(5))
                .compile(p -> new Sgd(p, 0.1f), new SparseCategoricalCrossEntropy(), new Accuracy());
    }

    /** Three Gaussian blobs in 4 dimensions, a row each: the features, then the class. */
    static List<float[]> blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            float[] r = new float[FEATURES + 1];
            for (int f = 0; f < FEATURES; f++) r[f] = (float) ((f % 3 == c ? 2.0 : 0.0) + rng.nextGaussian() * 0.5);
            r[FEATURES] = c;
            rows.add(r);
        }
        return rows;
    }

    private static float[] flat(List<Tensor> tensors) {
        int n = 0;
        for (Tensor t : tensors) n += t.size();
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : tensors) {
            System.arraycopy(t.toArray(), 0, out, at, t.size());
            at += t.size();
        }
        return out;
    }
}
