package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.optim.EpochScheduler;
import dev.nabla.optim.ReduceOnPlateau;
import dev.nabla.train.Callback;
import dev.nabla.train.TrainingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drives {@code --lr-schedule} so that it survives a save: the rate of the model's epoch {@code e} is the schedule's at
 * {@code e - startEpoch} from {@code baseLr}, both saved with the model, so a continued run takes up the schedule where
 * it stopped instead of restarting it from the decayed rate; a plateau's counters are saved and put back too.
 */
final class ScheduleCallback implements Callback {

    private final LrScheduleSpec.Resolved spec;
    private float baseLr;
    private final int startEpoch;
    private final String monitor;
    private Map<String, Object> plateauState;
    private EpochScheduler epochs;
    private ReduceOnPlateau plateau;

    /**
     * @param baseLr the rate of the schedule's epoch 0; NaN: the optimizer's when training begins
     * @param startEpoch the model's epochs done when the schedule began (its epoch 0 is the model's next)
     * @param plateauState a plateau's saved counters, or null
     */
    ScheduleCallback(LrScheduleSpec.Resolved spec, float baseLr, int startEpoch, String monitor, Map<String, Object> plateauState) {
        this.spec = spec;
        this.baseLr = baseLr;
        this.startEpoch = startEpoch;
        this.monitor = monitor;
        this.plateauState = plateauState;
    }

    LrScheduleSpec.Resolved spec() {
        return spec;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        if (Float.isNaN(baseLr)) baseLr = context.optimizer().learningRate();
        if (spec.plateau()) {
            Map<String, Double> v = spec.values();
            ReduceOnPlateau.Mode mode = TrainingControl.lowerIsBetter(monitor) ? ReduceOnPlateau.Mode.MIN : ReduceOnPlateau.Mode.MAX;
            plateau = new ReduceOnPlateau(context.optimizer(), mode, v.get("factor"), LrScheduleSpec.whole(v, "patience", 0), v.get("min_lr"));
            if (plateauState != null) {
                Object best = plateauState.get("best");
                plateau.restore((int) Json.asLong(plateauState.get("epoch"), "plateau.epoch"),
                        best == null ? (mode == ReduceOnPlateau.Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
                                : Json.asDouble(best, "plateau.best"),
                        (int) Json.asLong(plateauState.get("bad_epochs"), "plateau.bad_epochs"),
                        (int) Json.asLong(plateauState.get("cooldown"), "plateau.cooldown"));
                plateauState = null;
            }
            return;
        }
        // EpochScheduler takes the optimizer's rate as its base: give it the schedule's, then go to the model's epoch
        context.optimizer().setLearningRate(baseLr);
        epochs = new EpochScheduler(context.optimizer(), spec.schedule());
        epochs.setEpoch(Math.max(0, context.model().epochsDone() - startEpoch));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        if (epochs != null) {
            epochs.step();
            return;
        }
        Double value = logs.get(monitor);
        plateau.step(value == null ? Double.NaN : value);
    }

    /** The state to save with the model: the schedule, its base rate and start, a plateau's counters. */
    Map<String, Object> toJson() {
        Map<String, Object> json = spec.toJson();
        json.put("base_lr", (double) baseLr);
        json.put("start_epoch", startEpoch);
        if (plateau != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("epoch", plateau.epoch());
            p.put("best", Double.isFinite(plateau.best()) ? plateau.best() : null);
            p.put("bad_epochs", plateau.badEpochs());
            p.put("cooldown", plateau.cooldownCounter());
            json.put("plateau", p);
        } else if (plateauState != null) {
            json.put("plateau", plateauState);
        }
        return json;
    }

    /** A schedule saved by {@link #toJson}; {@code baseLr}, when not null, replaces its base rate. */
    static ScheduleCallback fromJson(Map<String, Object> json, String monitor, Double baseLr) {
        Object p = json.get("plateau");
        return new ScheduleCallback(LrScheduleSpec.fromJson(json),
                baseLr != null ? baseLr.floatValue() : (float) Json.asDouble(json.get("base_lr"), "lr_schedule.base_lr"),
                (int) Json.asLong(json.get("start_epoch"), "lr_schedule.start_epoch"), monitor,
                p == null ? null : Json.asObject(p, "lr_schedule.plateau"));
    }
}
