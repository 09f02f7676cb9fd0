package dev.nabla.cli;

import dev.nabla.data.Task;
import dev.nabla.io.Json;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.optim.Optimizers;
import dev.nabla.train.Callback;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the flags of {@link TrainingControlOptions} do to a run of {@code nabla train}, and the state they keep in the
 * model file (under metadata {@value #METADATA}) so that {@code --model} continues exactly: the learning-rate schedule
 * (its base rate, start and a plateau's counters), early stopping's best value and patience used, the monitored value
 * and the clipping norm. Flags given again on a continued model replace the saved settings; flags left out keep them.
 *
 * <p>Also the defaults for small regression tables: without {@code --epochs}, up to {@value #SMALL_TABLE_EPOCHS}
 * epochs with early stopping (patience {@value #SMALL_TABLE_PATIENCE}) on the validation split, since the 10 epochs
 * that suit large data sets leave a network on a few hundred rows far from fitted.
 */
final class TrainingControl {

    static final String METADATA = "training_control";
    static final int SMALL_TABLE_ROWS = 5_000;
    static final int SMALL_TABLE_EPOCHS = 500;
    static final int SMALL_TABLE_PATIENCE = 30;

    private final TrainingControlOptions o;
    private final LrScheduleSpec.Parsed schedule;
    private final Path continued;
    private Map<String, Object> saved = Map.of();
    private String monitor;
    private ScheduleCallback scheduleCallback;
    private EarlyStopping earlyStopping;
    private int patience;
    private double clipNorm;
    private String defaultsChosen;
    private Checkpoints checkpoints;

    private TrainingControl(TrainingControlOptions o, LrScheduleSpec.Parsed schedule, Path continued) {
        this.o = o;
        this.schedule = schedule;
        this.continued = continued;
    }

    /** Checks the flags' values before any data is read; {@code continued} is the {@code --model} file, or null. */
    static TrainingControl check(TrainingControlOptions o, Path continued) {
        if (o.earlyStopping != null && o.earlyStopping < 0) {
            throw new UsageException("--early-stopping: the patience must be 0 or more epochs, got " + o.earlyStopping);
        }
        if (o.clipNorm != null && !(o.clipNorm > 0 && Double.isFinite(o.clipNorm))) {
            throw new UsageException("--clip-norm: must be a positive number, got " + o.clipNorm);
        }
        if (o.weightDecay != null && !(o.weightDecay >= 0 && Double.isFinite(o.weightDecay))) {
            throw new UsageException("--weight-decay: must be a number >= 0, got " + o.weightDecay);
        }
        if (o.labelSmoothing != null && !(o.labelSmoothing >= 0 && o.labelSmoothing < 1)) {
            throw new UsageException("--label-smoothing: must be in [0, 1), e.g. 0.1, got " + o.labelSmoothing);
        }
        if (o.checkpointEvery != null && o.checkpointEvery < 1) {
            throw new UsageException("--checkpoint-every: must be at least 1 epoch, got " + o.checkpointEvery);
        }
        if (continued != null && o.weightDecay != null) {
            throw new UsageException("--weight-decay: not with --model " + continued + ", whose optimizer keeps its settings and state");
        }
        if (continued != null && o.labelSmoothing != null) {
            throw new UsageException("--label-smoothing: not with --model " + continued + ", which keeps its loss");
        }
        return new TrainingControl(o, LrScheduleSpec.parse(o.lrSchedule, o.warmup), continued);
    }

    /** The loss settings for {@code --label-smoothing} (the command-line loss name, e.g. cross-entropy). */
    Map<String, String> lossSettings(String lossName) {
        if (o.labelSmoothing == null) return Map.of();
        if (!lossName.equals("cross-entropy")) {
            throw new UsageException("--label-smoothing: only for --loss cross-entropy, not " + lossName);
        }
        return Map.of("label_smoothing", Double.toString(o.labelSmoothing));
    }

    /** The optimizer with {@code --weight-decay} applied (the rest PyTorch's defaults). */
    OptimizerFactory optimizer(String name, double lr) {
        if (o.weightDecay == null) return Optimizers.named(name, (float) lr);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(Optimizers.LEARNING_RATE, lr);
        values.put("weight_decay", o.weightDecay);
        try {
            OptimizerFactory f = Optimizers.factory(name, values, Set.of(), "--optimizer " + name);
            f.create(List.of());
            return f;
        } catch (RuntimeException e) {
            throw new UsageException("--weight-decay with --optimizer " + name + ": " + Errors.oneLine(e.getMessage()), e);
        }
    }

    /**
     * The epochs to train: {@code given}, or for a new model of a small regression table without {@code --epochs}
     * or {@code --early-stopping} and with a validation split, {@value #SMALL_TABLE_EPOCHS} with early stopping.
     */
    int epochs(int given, Task task, boolean table, int trainSamples, boolean validation) {
        if (o.epochsGiven() || continued != null || o.earlyStopping != null || !table || task != Task.REGRESSION
                || trainSamples > SMALL_TABLE_ROWS || !validation) {
            return given;
        }
        patience = SMALL_TABLE_PATIENCE;
        defaultsChosen = String.format(Locale.ROOT, "defaults for a small table (%,d rows, at most %,d): up to %d epochs, "
                        + "early stopping on val_loss with patience %d, the best epoch's weights kept (--epochs or "
                        + "--early-stopping to choose)", trainSamples, SMALL_TABLE_ROWS, SMALL_TABLE_EPOCHS, SMALL_TABLE_PATIENCE);
        return SMALL_TABLE_EPOCHS;
    }

    /**
     * Adds the callbacks and settings to {@code fit} for {@code model} (compiled; a continued one with its saved
     * state; {@code learningRate}, the {@code --lr} given or null, becomes a continued schedule's base rate), saving
     * checkpoints beside {@code out} with {@code beforeSave} run before each.
     */
    void attach(FitOptions fit, Model model, boolean validation, Double learningRate, Path out, Consumer<Model> beforeSave) {
        if (continued != null && model.metadata().get(METADATA) != null) {
            saved = Json.asObject(model.metadata().get(METADATA), "metadata." + METADATA);
        }
        monitor = o.monitor != null ? o.monitor.trim() : saved.get("monitor") instanceof String s ? s : "val_loss";
        boolean usesMonitor = o.earlyStopping != null || patience > 0 || saved.get("early_stopping") != null && o.earlyStopping == null
                || schedule != null && schedule.type().equals("plateau");
        checkMonitor(model, validation, usesMonitor);

        if (o.lrSchedule != null || o.warmup != null) {
            if (schedule != null) {
                float base = Float.NaN;   // the optimizer's rate: --lr, the default, or a continued model's
                scheduleCallback = new ScheduleCallback(LrScheduleSpec.resolve(schedule, fit.epochs()), base,
                        model.epochsDone(), monitor, null);
            }
        } else if (saved.get("lr_schedule") != null) {
            scheduleCallback = ScheduleCallback.fromJson(Json.asObject(saved.get("lr_schedule"), "lr_schedule"), monitor, learningRate);
        }
        if (scheduleCallback != null) fit.callbacks(scheduleCallback);

        if (o.earlyStopping != null) patience = o.earlyStopping;
        Map<String, Object> es = o.earlyStopping == null && patience == 0 && saved.get("early_stopping") != null
                ? Json.asObject(saved.get("early_stopping"), "early_stopping") : null;
        if (es != null) patience = (int) Json.asLong(es.get("patience"), "early_stopping.patience");
        if (es != null || o.earlyStopping != null || patience > 0) {
            earlyStopping = new EarlyStopping(monitor, patience, 0, true);
            if (es != null) {
                Object best = es.get("best");
                int waited = (int) Json.asLong(es.get("wait"), "early_stopping.wait");
                // a run that early stopping ended, continued on purpose, gets its patience again (the best so far stays)
                earlyStopping.resume(best == null ? (lowerIsBetter(monitor) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
                                : Json.asDouble(best, "early_stopping.best"),
                        (int) Json.asLong(es.get("best_epoch"), "early_stopping.best_epoch"), waited > patience ? 0 : waited);
            }
            fit.callbacks(earlyStopping);
        }

        clipNorm = o.clipNorm != null ? o.clipNorm : saved.get("clip_norm") != null ? Json.asDouble(saved.get("clip_norm"), "clip_norm") : 0;
        if (clipNorm > 0) fit.clipNorm(clipNorm);
        if (o.checkpointEvery != null) {
            checkpoints = new Checkpoints(o.checkpointEvery, out, beforeSave);
            checkpoints.checkFiles(model.epochsDone() + 1, model.epochsDone() + fit.epochs());
            fit.callbacks(checkpoints);
        }
    }

    private void checkMonitor(Model model, boolean validation, boolean used) {
        if (!used && o.monitor != null) {
            throw new UsageException("--monitor: watched by --early-stopping or --lr-schedule plateau, but neither is given");
        }
        if (!used) return;
        List<String> known = new ArrayList<>(List.of("loss"));
        for (var m : model.metrics()) known.add(m.name());
        if (validation) known.addAll(known.stream().map(k -> "val_" + k).toList());
        if (known.contains(monitor)) return;
        String flag = o.monitor != null ? "--monitor " + Printable.of(monitor)
                : o.earlyStopping != null ? "--early-stopping (monitoring " + monitor + ")" : "--lr-schedule plateau (monitoring " + monitor + ")";
        if (!validation && monitor.startsWith("val_")) {
            throw new UsageException(flag + ": needs validation data, but --val-split is 0; give --val-split 0.1 or --monitor "
                    + monitor.substring(4));
        }
        throw new UsageException(flag + ": training reports " + String.join(", ", known));
    }

    /** Lower is better for losses and errors, higher for the other metrics (as EarlyStopping decides). */
    static boolean lowerIsBetter(String monitor) {
        String key = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        return key.contains("loss") || key.equals("mse") || key.equals("mae");
    }

    /** Lines for the training's header, saying what the flags (and the defaults) chose. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (defaultsChosen != null) lines.add(defaultsChosen);
        List<String> parts = new ArrayList<>();
        if (scheduleCallback != null) parts.add("learning rate " + scheduleCallback.spec().text());
        if (earlyStopping != null && defaultsChosen == null) parts.add("early stopping on " + monitor + " (patience " + patience + ")");
        if (clipNorm > 0) parts.add("gradients clipped to norm " + Reports.number(clipNorm));
        if (o.weightDecay != null) parts.add("weight decay " + Reports.number(o.weightDecay));
        if (o.labelSmoothing != null) parts.add("label smoothing " + Reports.number(o.labelSmoothing));
        if (checkpoints != null) parts.add("checkpoints " + checkpoints.describe());
        if (!parts.isEmpty()) lines.add("Training control: " + String.join("; ", parts));
        return lines;
    }

    /** After training: how early stopping ended, or null. */
    String stoppingLine(int epochsDone) {
        if (earlyStopping == null || earlyStopping.bestEpoch() == 0) return null;
        return String.format(Locale.ROOT, "early stopping: best %s %s at epoch %d (its weights kept)%s", monitor,
                Reports.number(earlyStopping.bestValue()), earlyStopping.bestEpoch(),
                earlyStopping.stopped() ? ", stopped after epoch " + epochsDone : "");
    }

    /** Whether this run uses the defaults for a small regression table ({@link SmallTableChoice}). */
    boolean smallTable() {
        return defaultsChosen != null;
    }

    /** The best validation loss of the network trained, by early stopping (NaN without). */
    double bestValue() {
        return earlyStopping == null ? Double.NaN : earlyStopping.bestValue();
    }

    /** The small-table defaults kept another model, trained with {@code stopping}: its state is the one saved. */
    void chose(SmallTableChoice.Choice choice) {
        defaultsChosen = choice.line();
        if (choice.linear()) earlyStopping = choice.stopping();
    }

    /** The best epoch of early stopping, or 0. */
    int bestEpoch() {
        return earlyStopping == null ? 0 : earlyStopping.bestEpoch();
    }

    /** Puts the state to continue from into the model's metadata (removed when there is none). */
    void store(Model model) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("monitor", monitor);
        if (scheduleCallback != null) state.put("lr_schedule", scheduleCallback.toJson());
        if (earlyStopping != null) {
            Map<String, Object> es = new LinkedHashMap<>();
            es.put("patience", patience);
            es.put("best", Double.isFinite(earlyStopping.bestValue()) ? earlyStopping.bestValue() : null);
            es.put("best_epoch", earlyStopping.bestEpoch());
            es.put("wait", earlyStopping.waited());
            state.put("early_stopping", es);
        }
        if (clipNorm > 0) state.put("clip_norm", clipNorm);
        if (state.size() == 1) model.metadata().remove(METADATA);
        else model.metadata().put(METADATA, state);
    }

    /** The settings to record with the model's training settings. */
    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        if (scheduleCallback != null) s.put("lr_schedule", scheduleCallback.spec().text());
        if (earlyStopping != null) s.put("early_stopping", patience);
        if (earlyStopping != null) s.put("monitor", monitor);
        if (clipNorm > 0) s.put("clip_norm", clipNorm);
        if (o.weightDecay != null) s.put("weight_decay", o.weightDecay);
        if (o.labelSmoothing != null) s.put("label_smoothing", o.labelSmoothing);
        if (o.checkpointEvery != null) s.put("checkpoint_every", o.checkpointEvery);
        if (defaultsChosen != null) s.put("defaults", defaultsChosen);
        return s;
    }
}
