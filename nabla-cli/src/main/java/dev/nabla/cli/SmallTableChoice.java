package dev.nabla.cli;

import dev.nabla.tensor.Tensor;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.util.Locale;

/**
 * The default for a small regression table: besides the default network, a linear model (no hidden layers, the
 * model of an ordinary least-squares fit) is trained the same way, and the one with the lower validation loss is
 * kept. On a few hundred rows a network overfits what is close to linear, where the linear model does as well as
 * least squares; where the target is not linear the network wins on the validation split.
 */
final class SmallTableChoice {

    /** What the run chose, for the summary and the model's training settings. */
    record Choice(boolean linear, String line, EarlyStopping stopping, Model model) {
    }

    private SmallTableChoice() {
    }

    /**
     * Trains {@code linear} (compiled like the network) as {@code fit} trains the network, with early stopping of the
     * defaults, and compares its best validation loss with the network's ({@code networkBest} at epoch
     * {@code networkBestEpoch}); {@code fit} is a fresh set of options (validation data set) without callbacks.
     */
    static Choice compare(Model linear, Tensor x, Tensor y, FitOptions fit, String networkArch, double networkBest, int networkBestEpoch,
                          Interruption interruption, Io io) {
        EarlyStopping stopping = new EarlyStopping("val_loss", TrainingControl.SMALL_TABLE_PATIENCE, 0, true);
        fit.callbacks(new ProgressReporter(io.err(), io.liveProgress()), interruption, stopping);
        io.err().println("Defaults for a small table: also a linear model (no hidden layers), kept if its val_loss is lower:");
        linear.fit(x, y, fit);
        boolean better = stopping.bestValue() < networkBest;
        String line = String.format(Locale.ROOT, "defaults for a small table: kept %s (best val_loss %s at epoch %d; %s: %s at "
                        + "epoch %d)", better ? "the linear model (no hidden layers)" : "the network " + networkArch,
                Reports.number(better ? stopping.bestValue() : networkBest), better ? stopping.bestEpoch() : networkBestEpoch,
                better ? "the network " + networkArch : "the linear model", Reports.number(better ? networkBest : stopping.bestValue()),
                better ? networkBestEpoch : stopping.bestEpoch());
        return new Choice(better, line, stopping, linear);
    }
}
