package dev.nabla.train;

import dev.nabla.optim.EpochScheduler;
import dev.nabla.optim.LearningRateSchedule;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.ReduceOnPlateau;

import java.util.Map;
import java.util.function.Function;

/**
 * Changes the learning rate at the end of every epoch, by a fixed schedule (step, exponential, cosine, warm-up) or
 * when a monitored value stops improving.
 *
 * <pre>{@code
 * new FitOptions().callbacks(LearningRateScheduler.of(new CosineAnnealing(10, 0)));
 * new FitOptions().callbacks(LearningRateScheduler.reduceOnPlateau("val_loss", 0.5, 2, 1e-6));
 * }</pre>
 */
public final class LearningRateScheduler implements Callback {

    private final Function<Optimizer, LrScheduler> factory;
    private final String monitor;
    private final boolean modelEpochs;
    private LrScheduler scheduler;

    private LearningRateScheduler(Function<Optimizer, LrScheduler> factory, String monitor, boolean modelEpochs) {
        this.factory = factory;
        this.monitor = monitor;
        this.modelEpochs = modelEpochs;
    }

    /** Follows a schedule of epochs; the optimizer's rate when training starts is the base rate. */
    public static LearningRateScheduler of(LearningRateSchedule schedule) {
        return new LearningRateScheduler(optimizer -> new EpochScheduler(optimizer, schedule), null, false);
    }

    /**
     * Follows a schedule of the model's epochs, counted over its life ({@link Model#epochsDone}, as Keras'
     * {@code initial_epoch}), from {@code baseLr}: a model loaded from a file takes the schedule up where it stopped
     * instead of restarting it from the rate it had decayed to.
     */
    public static LearningRateScheduler of(LearningRateSchedule schedule, float baseLr) {
        return new LearningRateScheduler(optimizer -> {
            optimizer.setLearningRate(baseLr);
            return new EpochScheduler(optimizer, schedule);
        }, null, true);
    }

    /** Multiplies the rate by {@code factor} after {@code patience} epochs without improvement of {@code monitor}. */
    public static LearningRateScheduler reduceOnPlateau(String monitor, double factor, int patience, double minLr) {
        String key = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        ReduceOnPlateau.Mode mode = key.contains("loss") || key.equals("mse") || key.equals("mae")
                ? ReduceOnPlateau.Mode.MIN : ReduceOnPlateau.Mode.MAX;
        return new LearningRateScheduler(optimizer -> new ReduceOnPlateau(optimizer, mode, factor, patience, minLr), monitor, false);
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        if (scheduler == null) scheduler = factory.apply(context.optimizer());
        if (modelEpochs) ((EpochScheduler) scheduler).setEpoch(context.model().epochsDone());
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        double value = Double.NaN;
        if (monitor != null) {
            Double v = logs.get(monitor);
            if (v == null) {
                throw new IllegalStateException("learning-rate scheduler monitors '" + monitor
                        + "', which training does not report (reported: " + logs.keySet() + ")");
            }
            value = v;
        }
        scheduler.step(value);
    }
}
