package dev.nabla.loss;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nabla.testing.GradCheck.awayFromZero;
import static dev.nabla.testing.GradCheck.check;
import static dev.nabla.testing.GradCheck.uniform;

/** Every loss's gradient (predictions, and targets where they get one) against central finite differences. */
class LossGradientTest {

    @Test
    void meanSquaredError() {
        check("mse", in -> new MeanSquaredError().compute(in[0], in[1]), uniform(1, -2, 2, 4, 3), uniform(2, -2, 2, 4, 3));
        check("mse-sum", in -> new MeanSquaredError(Reduction.SUM).compute(in[0], in[1]),
                uniform(3, -2, 2, 5), uniform(4, -2, 2, 5, 1));
    }

    @Test
    void meanAbsoluteError() {
        Tensor y = uniform(2, -1, 1, 4, 3);
        Tensor x = y.add(awayFromZero(1, 0.1f, 1f, 4, 3)).detach();
        check("mae", in -> new MeanAbsoluteError().compute(in[0], in[1]), x, y);
        check("mae-sum", in -> new MeanAbsoluteError(Reduction.SUM).compute(in[0], in[1]), Tensor.of(x.toArray(), 4, 3), Tensor.of(y.toArray(), 4, 3));
    }

    @Test
    void huber() {
        for (float delta : new float[]{1f, 0.5f, 2f}) {
            // |x - y| in [0.05, 0.8] delta and [1.2, 3] delta: both branches, clear of the kinks
            Tensor y = uniform(3, -1, 1, 5, 4);
            Tensor near = awayFromZero(4, 0.05f * delta, 0.8f * delta, 5, 2);
            Tensor far = awayFromZero(5, 1.2f * delta, 3f * delta, 5, 2);
            Tensor x = y.add(Tensor.concat(1, near, far)).detach();
            Huber loss = new Huber(delta, Reduction.SUM);
            check("huber-" + delta, in -> loss.compute(in[0], in[1]), 1e-2 * Math.min(1, delta), 2e-2,
                    x, y.copy().detach());
        }
    }

    @Test
    void binaryCrossEntropyFromLogits() {
        Tensor x = uniform(1, -4, 4, 3, 4);
        x.data()[0] = 0f; // softplus is smooth at 0: the gradient there must be sigmoid(0) - y
        check("bce-logits-sum", in -> new BinaryCrossEntropy(true, Reduction.SUM).compute(in[0], in[1]),
                x, uniform(2, 0, 1, 3, 4));
        check("bce-logits", in -> new BinaryCrossEntropy(true).compute(in[0], in[1]),
                uniform(3, -6, 6, 6, 1), uniform(4, 0, 1, 6));
    }

    @Test
    void binaryCrossEntropyFromProbabilities() {
        check("bce-probs", in -> new BinaryCrossEntropy(false).compute(in[0], in[1]),
                1e-3, 2e-2, uniform(1, 0.1f, 0.9f, 3, 4), uniform(2, 0, 1, 3, 4));
        check("bce-probs-sum", in -> new BinaryCrossEntropy(false, Reduction.SUM).compute(in[0], in[1]),
                1e-3, 2e-2, uniform(3, 0.05f, 0.95f, 7), uniform(4, 0, 1, 7));
    }

    @Test
    void categoricalCrossEntropy() {
        for (float eps : new float[]{0f, 0.2f}) {
            for (Reduction r : Reduction.values()) {
                CategoricalCrossEntropy loss = new CategoricalCrossEntropy(eps, r);
                // soft targets that do not sum to 1 check the general gradient softmax * sum(t') - t'
                check("cce-" + eps + "-" + r, in -> loss.compute(in[0], in[1]),
                        uniform(1, -3, 3, 5, 4), uniform(2, 0, 1, 5, 4));
                check("cce-onehot-" + eps + "-" + r, in -> loss.compute(in[0], oneHot(new int[]{2, 0, 1}, 3)),
                        uniform(3, -3, 3, 3, 3));
            }
        }
    }

    @Test
    void sparseCategoricalCrossEntropy() {
        Tensor labels = Tensor.of(new float[]{3, 0, 1, 1, 2, 0});
        for (float eps : new float[]{0f, 0.1f, 1f}) {
            for (Reduction r : Reduction.values()) {
                SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy(eps, r);
                check("scce-" + eps + "-" + r, in -> loss.compute(in[0], labels), uniform(5, -3, 3, 6, 4));
                check("scce-column-" + eps + "-" + r, in -> loss.compute(in[0], labels.reshape(6, 1)),
                        uniform(6, -3, 3, 6, 4));
            }
        }
    }

    @Test
    void crossEntropyOfNonContiguousLogits() {
        // [C, N] transposed into a strided [N, C] view: the fused op must read it through its strides
        Tensor labels = Tensor.of(new float[]{1, 0, 2, 2});
        check("scce-transposed", in -> new SparseCategoricalCrossEntropy().compute(in[0].transpose(0, 1), labels),
                uniform(7, -2, 2, 3, 4));
        check("cce-transposed", in -> new CategoricalCrossEntropy(0.1f).compute(in[0].transpose(0, 1), in[1]),
                uniform(8, -2, 2, 3, 4), uniform(9, 0, 1, 4, 3));
    }

    static Tensor oneHot(int[] labels, int classes) {
        float[] d = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) d[i * classes + labels[i]] = 1f;
        return Tensor.wrap(d, labels.length, classes);
    }
}
