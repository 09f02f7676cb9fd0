/**
 * Quality measures accumulated over the batches of an epoch: {@code reset()}, {@code update(predictions, targets)}
 * per batch, then {@code result()}. Counters are {@code long} / {@code double} and nothing is allocated per sample
 * (the AUC's sample store grows by doubling).
 *
 * <h2>Classification: how predictions and targets are read</h2>
 * Predictions are the model's raw outputs, as the loss receives them.
 * <ul>
 * <li><b>Multiclass</b>: predictions {@code [N, C]} with {@code C >= 2}; the predicted class is the row's argmax (the
 * first on ties), so logits and probabilities give the same result. Targets are class indices {@code [N]} or
 * {@code [N, 1]} (whole numbers in {@code [0, C)}; anything else throws an {@link java.lang.IllegalArgumentException}
 * naming the label and {@code C}) or one-hot / probability rows {@code [N, C]}, whose argmax is the true class.</li>
 * <li><b>Binary</b>: predictions {@code [N]} or {@code [N, 1]}, one score per sample. By default the scores are
 * probabilities (a sigmoid output) and the predicted class is 1 when the score is above 0.5; metrics built with
 * {@code fromLogits = true} (to pair with {@code BinaryCrossEntropy(true)}) read logits and threshold at 0, which is
 * the same decision. Targets {@code [N]} or {@code [N, 1]} count as class 1 when at least 0.5, else 0.</li>
 * </ul>
 * Other shapes, or predictions and targets with different batch sizes, throw a
 * {@link dev.nabla.tensor.ShapeException} naming the metric and both shapes; a rejected batch leaves the metric
 * unchanged. The number of classes is fixed by the first batch after a reset.
 *
 * <p>{@link dev.nabla.metrics.Precision}, {@link dev.nabla.metrics.Recall} and {@link dev.nabla.metrics.F1Score}
 * report the positive class (1) for binary outputs, and for multiclass outputs the macro average: the unweighted mean
 * of the per-class scores over the classes that occurred since the reset as a prediction or a target (scikit-learn's
 * {@code average='macro'}); a class whose denominator is 0 scores 0 ({@code zero_division=0}).
 *
 * <p>{@link dev.nabla.metrics.RocAuc} (registered as {@code auc}) is the area under the ROC curve as scikit-learn's
 * {@code roc_auc_score}: of the class-1 score for binary outputs, one-vs-rest with the macro average for multiclass
 * rows (probabilities, or logits with {@code fromLogits}); ties count one half; NaN where a class is absent. It keeps
 * every sample's scores until the reset.
 *
 * <h2>Regression</h2>
 * {@link dev.nabla.metrics.MeanSquaredErrorMetric}, {@link dev.nabla.metrics.MeanAbsoluteErrorMetric} and
 * {@link dev.nabla.metrics.RSquared} compare predictions and targets of one shape ({@code [N]} and {@code [N, 1]}
 * are accepted for one another).
 *
 * <p>Every metric's {@code result()} is NaN before its first sample.
 */
package dev.nabla.metrics;
