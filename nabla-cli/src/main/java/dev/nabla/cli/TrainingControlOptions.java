package dev.nabla.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags of {@code nabla train} that steer training (a picocli mixin): early stopping, the learning-rate schedule,
 * gradient clipping, weight decay, label smoothing and checkpoints. What they do is {@link TrainingControl}'s.
 */
final class TrainingControlOptions {

    /** No flags given (e.g. {@code nabla demo}). */
    static final TrainingControlOptions NONE = new TrainingControlOptions();

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when --monitor has not improved for PATIENCE epochs; the best epoch's weights are kept "
                    + "(Keras' EarlyStopping with restore_best_weights).")
    Integer earlyStopping;

    @Option(names = "--monitor", paramLabel = "NAME",
            description = "What --early-stopping and --lr-schedule plateau watch: val_loss (default), loss, val_accuracy, "
                    + "accuracy, val_mae, mae (lower is better for losses and errors, higher otherwise).")
    String monitor;

    @Option(names = "--lr-schedule", paramLabel = "SPEC",
            description = "Learning rate per epoch, as torch.optim.lr_scheduler: " + LrScheduleSpec.HELP + ". Defaults: "
                    + "cosine anneals to 0 over the epochs after the warm-up, step multiplies by 0.1 every third of them, "
                    + "exponential by 0.9 each epoch, plateau by 0.1 after 10 epochs without improvement. none: a constant "
                    + "rate (also to drop a continued model's schedule). E.g. cosine:warmup=2, step:step_size=5:gamma=0.5.")
    String lrSchedule;

    @Option(names = "--warmup", paramLabel = "EPOCHS",
            description = "Linear warm-up: epoch e (from 0) trains with lr * (e + 1) / EPOCHS, then --lr-schedule takes over "
                    + "(alone: the constant rate). Same as :warmup=EPOCHS in --lr-schedule.")
    Integer warmup;

    @Option(names = "--clip-norm", paramLabel = "X",
            description = "Scale the gradients down so their global L2 norm is at most X (torch.nn.utils.clip_grad_norm_).")
    Double clipNorm;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "Weight decay: decoupled for adamw (default 0.01 there), an L2 penalty on the gradient for the "
                    + "other optimizers (default 0), as torch.optim's weight_decay.")
    Double weightDecay;

    @Option(names = "--label-smoothing", paramLabel = "X",
            description = "Label smoothing in [0, 1) for --loss cross-entropy, as torch.nn.CrossEntropyLoss(label_smoothing=X).")
    Double labelSmoothing;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Also save the model every N epochs, beside --out as NAME.epochE.nabla (E: the epoch, counted over "
                    + "the model's life); each can be continued with --model.")
    Integer checkpointEvery;

    /** Whether {@code --epochs} was given on the command line (the defaults for small tables choose it otherwise). */
    boolean epochsGiven() {
        return mixee == null || mixee.commandLine() == null || mixee.commandLine().getParseResult() == null
                || mixee.commandLine().getParseResult().hasMatchedOption("--epochs");
    }
}
