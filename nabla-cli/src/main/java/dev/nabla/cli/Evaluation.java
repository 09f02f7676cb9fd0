package dev.nabla.cli;

import dev.nabla.data.LoadedData;
import dev.nabla.data.Task;
import dev.nabla.loss.BinaryCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.metrics.MeanSquaredErrorMetric;
import dev.nabla.metrics.Metric;
import dev.nabla.metrics.RSquared;
import dev.nabla.train.Model;

import java.util.Map;

/**
 * Test-set results as the command line reports them: {@code loss} and {@code accuracy} for classification;
 * {@code loss}, {@code mse}, {@code mae} and {@code r2} for regression. All come from {@link Model#evaluate} with the
 * registered metrics, which see predictions in the target's units where the model scales its target (the loss sees
 * the standardised target it was trained on).
 */
final class Evaluation {

    private Evaluation() {
    }

    /** Samples per batch of an evaluation of data in memory. */
    static final int BATCH_SIZE = 256;

    static Map<String, Double> evaluate(Model model, LoadedData data, Task task) {
        return evaluate(model, new dev.nabla.dataset.TensorDataset(data.x(), data.y()), task, BATCH_SIZE);
    }

    /** The report's scores over a data set (in memory or read batch by batch), in batches of {@code batchSize}. */
    static Map<String, Double> evaluate(Model model, dev.nabla.dataset.Dataset data, Task task, int batchSize) {
        // a second Model over the same network, compiled with the report's metrics: the trained model keeps its own
        // metrics and optimizer (compile would drop the optimizer's state)
        return scorer(model, task).evaluate(data, batchSize);
    }

    /** {@link #evaluate(Model, dev.nabla.dataset.Dataset, Task, int)} over one pass of a stream (a streamed table). */
    static Map<String, Double> evaluate(Model model, dev.nabla.dataset.StreamDataset data, Task task, int batchSize) {
        return scorer(model, task).evaluate(data, batchSize);
    }

    private static Model scorer(Model model, Task task) {
        Model scorer = new Model(model.network()).targetScaling(model.targetScaling());
        scorer.compile(parameters -> {
            throw new IllegalStateException("evaluation does not train");
        }, model.loss(), metrics(model, task));
        return scorer;
    }

    /** The report's metrics, in the order the JSON keys come. */
    static Metric[] metrics(Model model, Task task) {
        if (task == Task.REGRESSION) return new Metric[]{new MeanSquaredErrorMetric(), new MeanAbsoluteErrorMetric(), new RSquared()};
        // a binary model gives one score per sample: a logit, or a probability
        boolean logits = model.loss() instanceof BinaryCrossEntropy bce && bce.fromLogits();
        return new Metric[]{new Accuracy(logits)};
    }
}
