package dev.nabla.cli;

import dev.nabla.tensorboard.TensorBoardCallback;
import dev.nabla.train.Callback;
import dev.nabla.train.TrainingContext;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The flags of {@code nabla train} that write TensorBoard event files (a picocli mixin), checked before any data is
 * read; what is written is {@link TensorBoardCallback}'s.
 */
final class TensorBoardOptions {

    @Option(names = "--tensorboard", paramLabel = "DIR",
            description = "Write TensorBoard event files in DIR/train and DIR/validation (Keras' layout): loss, metrics and "
                    + "learning rate per epoch (step: the epoch from 0), the training loss every --tensorboard-every steps; "
                    + "flushed as each epoch ends. View with tensorboard --logdir DIR (a DIR per run, e.g. runs/mlp-1; "
                    + "--logdir runs compares them).")
    Path dir;

    @Option(names = "--tensorboard-every", paramLabel = "N",
            description = "Steps (batches) between the points of batch_loss, each the mean loss of those batches; 0 for "
                    + "per-epoch values only (default: " + TensorBoardCallback.DEFAULT_UPDATE_EVERY + ").")
    Integer every;

    @Option(names = "--tensorboard-histograms",
            description = "Also write a histogram of each weight per epoch (TensorBoard's Histograms and Distributions tabs).")
    boolean histograms;

    /**
     * The callback for the flags, or null without {@code --tensorboard}: DIR and its {@code train} and
     * {@code validation} folders must be folders or creatable (nothing is created yet), and none of the run's files.
     */
    TensorBoardCallback callback(Path out, Path plot, Path data, Path test) {
        if (dir == null) {
            if (every != null) throw new UsageException("--tensorboard-every: goes with --tensorboard DIR, which is not given");
            if (histograms) throw new UsageException("--tensorboard-histograms: goes with --tensorboard DIR, which is not given");
            return null;
        }
        if (every != null && every < 0) {
            throw new UsageException("--tensorboard-every: must be 0 (per epoch only) or a number of steps, got " + every);
        }
        checkFolder(dir);
        checkNotARunFile(out, "--out", false);
        checkNotARunFile(plot, "--plot", false);
        checkNotARunFile(data, "--data", true);
        checkNotARunFile(test, "--test", true);
        return new TensorBoardCallback(dir).updateEvery(every == null ? TensorBoardCallback.DEFAULT_UPDATE_EVERY : every)
                .histograms(histograms);
    }

    /** The callbacks for the fit: {@code events} (or none) and a line on {@code err} saying where, as training begins. */
    static List<Callback> watchers(TensorBoardCallback events, PrintStream err) {
        if (events == null) return List.of();
        Callback announce = new Callback() {
            @Override
            public void onTrainBegin(TrainingContext context) {
                String dir = Printable.of(events.dir().toString());
                err.println("TensorBoard: events in " + dir + " (view: tensorboard --logdir " + dir + ")");
            }
        };
        return List.of(announce, events);
    }

    /** After training: a warning when writing failed part way (training went on, the model was saved). */
    static void warnOnFailure(TensorBoardCallback callback, PrintStream err) {
        if (callback == null || callback.failure() == null) return;
        err.println("warning: --tensorboard " + Printable.of(callback.dir().toString()) + ": writing the events stopped ("
                + Errors.message(callback.failure()) + "); training went on");
    }

    private void checkFolder(Path folder) {
        String flag = "--tensorboard " + Printable.of(folder.toString());
        for (Path p : new Path[] {folder, folder.resolve("train"), folder.resolve("validation")}) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new UsageException(flag + ": " + Printable.of(p.toString()) + " is a file, not a folder");
            }
        }
        Path existing = folder.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new UsageException(flag + ": no part of the path exists");
        if (!Files.isDirectory(existing)) {
            throw new UsageException(flag + ": " + Printable.of(existing.toString()) + " is a file, not a folder");
        }
        Path probe = Files.isDirectory(folder.resolve("train")) ? folder.resolve("train") : existing;
        if (!Files.isWritable(probe)) throw new UsageException(flag + ": cannot write in " + Printable.of(probe.toString()));
    }

    private void checkNotARunFile(Path file, String flag, boolean input) {
        if (file == null) return;
        Path d = dir.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        // an output where an event folder goes, or event folders inside the data (a new class folder of images)
        boolean clash = input ? Training.sameFile(dir, file) || Files.isDirectory(file) && d.startsWith(f)
                : f.equals(d) || f.equals(d.resolve("train")) || f.equals(d.resolve("validation"));
        if (clash) {
            throw new UsageException("--tensorboard " + Printable.of(dir.toString()) + ": " + (input ? "is inside" : "needs")
                    + " the " + flag + " " + Printable.of(file.toString()) + (input ? ", which would change the data" : " as a folder")
                    + "; give a folder of its own");
        }
    }
}
