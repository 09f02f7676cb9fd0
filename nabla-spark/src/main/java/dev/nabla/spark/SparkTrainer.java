package dev.nabla.spark;

import dev.nabla.distributed.TcpRingCollective;
import dev.nabla.train.Model;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronous data-parallel training on Apache Spark: one barrier stage ({@code RDD.barrier()}) of one task per
 * partition, all started together; each task trains a replica of the model on its partition, and the tasks average
 * their gradients every step through a ring all-reduce over TCP among themselves (the driver carries no gradients).
 * N partitions with batches of B train as one process with batches of N*B (see {@code FitOptions.collective}).
 * Rank 0 (partition 0) saves a checkpoint after every epoch; when a task fails (an executor lost), Spark runs the
 * whole stage again and the new tasks resume from the last checkpoint.
 *
 * <pre>{@code
 * JavaRDD<float[]> rows = ...;   // each row: the features, then the target (a class index or a value)
 * Model model = SparkTrainer.fit(rows.repartition(8), 4, () -> new Model(new Sequential(
 *         new Dense(64, Activation.RELU), new Dense(3)).seed(1))
 *         .compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy()),
 *         SparkFitOptions.of(10, 64, "/shared/checkpoints/run1"));
 * }</pre>
 *
 * <p>The cluster needs as many free task slots as partitions at once (a barrier stage's rule), and the executors
 * must reach each other on the ports the tasks open. Each partition is held in its task's memory as tensors.
 */
public final class SparkTrainer {

    /** The checkpoint's file name in {@link SparkFitOptions#checkpointDir}. */
    public static final String CHECKPOINT = "checkpoint.nabla";

    private SparkTrainer() {
    }

    /**
     * Trains on {@code rows} (each {@code features} values then the target) and returns rank 0's model, which every
     * rank held bit for bit. Its metadata {@code spark} says how it went: the tasks, the stage attempt, the epoch
     * it resumed after, samples per second and the all-reduce's time per step.
     */
    public static Model fit(JavaRDD<float[]> rows, int features, ModelSpec spec, SparkFitOptions options) throws IOException {
        if (features < 1) throw new IllegalArgumentException("features must be at least 1, got " + features);
        Files.createDirectories(Path.of(options.checkpointDir()));
        ClassTag<byte[]> bytes = ClassTag$.MODULE$.apply(byte[].class);
        RDD<byte[]> trained = rows.rdd().barrier().mapPartitions(new BarrierTask(features, spec, options), false, bytes);
        // through a shuffle: Spark reruns a failed barrier stage only when it is a shuffle map stage (a failed
        // barrier result stage aborts the job)
        List<byte[]> collected = JavaRDD.fromRDD(trained, bytes).repartition(1).collect();
        byte[] model = null;
        for (byte[] b : collected) if (b != null) model = b;
        if (model == null) throw new IllegalStateException("no task returned the model");
        Path file = Files.createTempFile("nabla-spark-", ".nabla");
        try {
            Files.write(file, model);
            return Model.load(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Rank 0's account of the run, saved in the model's metadata. */
    static Map<String, Object> report(int tasks, int stageAttempt, int resumedAfter, int epochs, int rows, double seconds,
                                      TcpRingCollective.Stats stats) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tasks", tasks);
        r.put("stage_attempt", stageAttempt);
        r.put("resumed_after_epoch", resumedAfter);
        r.put("epochs_trained", epochs);
        r.put("rank0_rows", rows);
        r.put("seconds", seconds);
        // all ranks' samples: rank 0's times the tasks (the partitions are about equal)
        r.put("samples_per_second", seconds > 0 ? (double) rows * tasks * epochs / seconds : 0);
        r.put("all_reduces", stats.allReduces());
        r.put("all_reduce_ms_per_step", stats.meanMillisAfterFirst());
        r.put("all_reduce_wait_ms_per_step", stats.meanWaitMillisAfterFirst());
        r.put("all_reduce_seconds", stats.allReduceNanos() / 1e9);
        r.put("bytes_sent_by_rank0", stats.bytesSent());
        return r;
    }
}
