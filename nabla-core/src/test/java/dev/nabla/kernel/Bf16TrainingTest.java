package dev.nabla.kernel;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ModelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A short training run in bf16 against the same run in float32: same seed, same batches. */
class Bf16TrainingTest {

    /** Accuracy points bf16 may lose against float32 on 1,000 test samples (the inference bound is 0.3). */
    private static final double MARGIN = 0.02;

    private static Model trained(Precision precision, Tensor[] train) {
        Model model = new Model(new Sequential(new Dense(64, Activation.RELU), new Dense(64, Activation.RELU),
                new Dense(3)).seed(11));
        model.compile(p -> new Adam(p, 0.01f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(train[0], train[1], new FitOptions().epochs(4).batchSize(32).seed(2).precision(precision));
        return model;
    }

    @Test
    void bf16TrainingReachesFloat32sAccuracyAndDiffersFromIt() {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here: " + Precision.bf16Unavailable());
        Tensor[] train = ModelTest.blobs(1200, 1);
        Tensor[] test = ModelTest.blobs(1000, 2);
        Model fp32 = trained(Precision.FP32, train);
        Model bf16 = trained(Precision.BF16, train);
        double fp32Accuracy = fp32.evaluate(test[0], test[1]).get("accuracy");
        double bf16Accuracy = bf16.evaluate(test[0], test[1]).get("accuracy");
        double inferBf16;
        try (var scope = Precision.BF16.use()) {
            inferBf16 = fp32.evaluate(test[0], test[1]).get("accuracy");
        }
        assertTrue(fp32Accuracy > 0.9, "float32 accuracy " + fp32Accuracy);
        assertTrue(bf16Accuracy > fp32Accuracy - MARGIN, "bf16 " + bf16Accuracy + " vs float32 " + fp32Accuracy);
        assertTrue(inferBf16 > fp32Accuracy - MARGIN, "bf16 inference " + inferBf16 + " vs float32 " + fp32Accuracy);
        // the two runs really differ (bf16 ran): their final weights are not equal
        assertFalse(java.util.Arrays.equals(fp32.network().parameters().get(0).toArray(),
                bf16.network().parameters().get(0).toArray()));
        assertEquals(Precision.FP32, Precision.current(), "fit closed its scope");
    }
}
