package dev.nabla.cli;

import dev.nabla.train.EarlyStopping;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.util.Locale;
import java.util.Map;

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
     * Trains {@code linear} (compiled like the network, of file form {@code architecture}) as the network was trained,
     * with the same sample weights (null: none) and the defaults' early stopping, and keeps it when its best
     * validation loss is lower than the network's
     * ({@code control}'s early stopping); says which was kept, on stderr and in the training {@code settings}.
     */
    static Choice compare(Model linear, Map<String, Object> architecture, TrainingData data,
                          dev.nabla.tensor.Tensor sampleWeights, int epochs, Training.Settings s, String networkArch, TrainingControl control, Map<String, Object> settings,
                          Interruption interruption, Io io) {
        double networkBest = control.bestValue();
        int networkBestEpoch = control.bestEpoch();
        EarlyStopping stopping = new EarlyStopping("val_loss", TrainingControl.SMALL_TABLE_PATIENCE, 0, true);
        FitOptions fit = new FitOptions().epochs(epochs).batchSize(s.batchSize()).seed(s.seed())
                .validationData(data.validation().x(), data.validation().y())
                .callbacks(new ProgressReporter(io.err(), io.liveProgress()), interruption, stopping)
                .sampleWeights(sampleWeights);
        io.err().println("Defaults for a small table: also a linear model (no hidden layers), kept if its val_loss is lower:");
        linear.fit(data.train().x(), data.train().y(), fit);
        boolean better = stopping.bestValue() < networkBest;
        String line = String.format(Locale.ROOT, "defaults for a small table: kept %s (best val_loss %s at epoch %d; %s: %s at "
                        + "epoch %d)", better ? "the linear model (no hidden layers)" : "the network " + networkArch,
                Reports.number(better ? stopping.bestValue() : networkBest), better ? stopping.bestEpoch() : networkBestEpoch,
                better ? "the network " + networkArch : "the linear model", Reports.number(better ? networkBest : stopping.bestValue()),
                better ? networkBestEpoch : stopping.bestEpoch());
        Choice choice = new Choice(better, line, stopping, linear);
        control.chose(choice);
        io.err().println(line);
        settings.put("defaults", line);
        if (better) {
            settings.put("arch", "");
            settings.put("architecture", architecture);
        }
        return choice;
    }
}
