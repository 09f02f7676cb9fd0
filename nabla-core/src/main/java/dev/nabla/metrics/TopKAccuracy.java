package dev.nabla.metrics;

import dev.nabla.config.Default;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * The fraction of samples whose true class is among the {@code k} highest-scoring classes of multiclass predictions
 * {@code [N, C]} (logits or probabilities). Targets are labels {@code [N]} / {@code [N, 1]} or one-hot rows
 * {@code [N, C]} (see the package documentation). Ties count in the sample's favour, as in Keras' {@code in_top_k}: the
 * true class is in the top {@code k} when fewer than {@code k} classes score strictly higher. With {@code k >= C}
 * every sample counts as correct (unless its true class scores NaN). NaN before the first sample.
 */
public final class TopKAccuracy extends NamedMetric {

    /** @param k how many of the highest-scoring classes count (at least 1; Keras' default 5) */
    public record Config(@Default("5") int k) {
    }

    private final int k;
    private long correct;
    private long total;

    public TopKAccuracy(int k) {
        super("top_" + k + "_accuracy");
        if (k < 1) throw new IllegalArgumentException("top_k_accuracy: k must be at least 1, got " + k);
        this.k = k;
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public TopKAccuracy(Config config) {
        this(config.k());
    }

    @Override
    public Config config() {
        return new Config(k);
    }

    @Override
    public void reset() {
        correct = 0;
        total = 0;
    }

    @Override
    public void update(Tensor predictions, Tensor targets) {
        if (Classes.isBinary(name(), predictions, targets)) {
            throw new ShapeException(name() + ": predictions of shape "
                    + dev.nabla.tensor.Shape.str(predictions.shape()) + " are one score per sample; top-k accuracy"
                    + " needs multiclass scores [batch, classes]");
        }
        Classes.check(name(), predictions, targets);
        int n = predictions.shape(0);
        int c = predictions.shape(1);
        boolean rows = targets.rank() == 2 && targets.shape(1) == c;
        Tensor pc = predictions.materialize(false);
        Tensor tc = targets.materialize(false);
        float[] p = pc.data();
        float[] t = tc.data();
        int po = pc.offset();
        int to = tc.offset();
        for (int i = 0; i < n; i++) {
            int row = po + i * c;
            int actual = rows ? Classes.argmax(t, to + i * c, c) : Classes.label(name(), t[to + i], i, c);
            float own = p[row + actual];
            if (Float.isNaN(own)) continue;
            int higher = 0;
            for (int j = 0; j < c && higher < k; j++) if (p[row + j] > own) higher++;
            if (higher < k) correct++;
        }
        total += n;
    }

    @Override
    public double result() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    public int k() {
        return k;
    }
}
