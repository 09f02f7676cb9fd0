package dev.nabla.optim;

import java.util.Objects;

/**
 * Cuts the learning rate by {@code factor} when a monitored metric stops improving, like
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}: after more than {@code patience} epochs in a row without
 * improvement the rate becomes {@code max(lr * factor, minLr)}, then {@code cooldown} epochs pass before bad
 * epochs count again. A value improves on the best so far when (mode MIN, threshold REL) it is below
 * {@code best * (1 - threshold)}; MAX and ABS thresholds are analogous. A NaN metric never improves.
 *
 * <p>State, for checkpoints: {@link #best()}, {@link #badEpochs()}, {@link #cooldownCounter()} and {@link #epoch()};
 * put back with {@link #restore}.
 */
public final class ReduceOnPlateau implements LrScheduler {

    /** Whether lower ({@code MIN}, a loss) or higher ({@code MAX}, an accuracy) metric values are better. */
    public enum Mode { MIN, MAX }

    /** Whether {@code threshold} is relative to the best value ({@code REL}) or absolute ({@code ABS}). */
    public enum ThresholdMode { REL, ABS }

    /** PyTorch's default: changes of the rate smaller than this are not applied. */
    private static final double EPS = 1e-8;

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minLr;

    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private int epoch;

    /** PyTorch's defaults: mode MIN, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, min rate 0. */
    public ReduceOnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 0);
    }

    /** With PyTorch's threshold (1e-4 relative) and no cooldown. */
    public ReduceOnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double minLr) {
        this(optimizer, mode, factor, patience, 1e-4, ThresholdMode.REL, 0, minLr);
    }

    /** Every option, in {@code ReduceLROnPlateau}'s order. */
    public ReduceOnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                           ThresholdMode thresholdMode, int cooldown, double minLr) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.thresholdMode = Objects.requireNonNull(thresholdMode, "thresholdMode");
        if (!(factor >= 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceOnPlateau: factor must be in [0, 1), got " + factor);
        }
        if (patience < 0) throw new IllegalArgumentException("ReduceOnPlateau: patience must be >= 0, got " + patience);
        if (cooldown < 0) throw new IllegalArgumentException("ReduceOnPlateau: cooldown must be >= 0, got " + cooldown);
        this.factor = factor;
        this.patience = patience;
        this.threshold = OptimizerSupport.nonNegative("ReduceOnPlateau", "threshold", threshold);
        this.cooldown = cooldown;
        this.minLr = OptimizerSupport.nonNegative("ReduceOnPlateau", "minLr", minLr);
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public void step(double metric) {
        epoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;   // bad epochs during the cooldown do not count
        }
        if (badEpochs > patience) {
            reduce();
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
    }

    private boolean isBetter(double value) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? value < best * (1 - threshold) : value < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? value > best * (1 + threshold) : value > best + threshold;
        };
    }

    private void reduce() {
        double oldLr = optimizer.learningRate();
        double newLr = Math.max(oldLr * factor, minLr);
        // Skipping negligible changes stops the rate from creeping once it sits at (or rounds to) minLr.
        if (oldLr - newLr > EPS) optimizer.setLearningRate((float) newLr);
    }

    /** Sets the counters saved from another instance (see the class comment). */
    public void restore(int epoch, double best, int badEpochs, int cooldownCounter) {
        if (epoch < 0 || badEpochs < 0 || cooldownCounter < 0) {
            throw new IllegalArgumentException("ReduceOnPlateau: counters must be >= 0");
        }
        this.epoch = epoch;
        this.best = best;
        this.badEpochs = badEpochs;
        this.cooldownCounter = cooldownCounter;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    /** The best metric seen so far (infinitely bad before the first step). */
    public double best() {
        return best;
    }

    /** Epochs in a row without improvement, outside cooldown. */
    public int badEpochs() {
        return badEpochs;
    }

    /** Epochs of cooldown left. */
    public int cooldownCounter() {
        return cooldownCounter;
    }
}
