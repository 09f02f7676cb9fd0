package dev.nabla.cli;

import dev.nabla.train.Callback;
import dev.nabla.train.Model;
import dev.nabla.train.TrainingContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code --checkpoint-every N}: the model saved every N epochs beside {@code --out}, as {@code NAME.epochE.nabla}
 * (E counted over the model's life), each a complete model that {@code --model} continues. Saved through the model
 * file's atomic save, so an interrupted one leaves no partial file.
 */
final class Checkpoints implements Callback {

    private final int every;
    private final Path out;
    private final Consumer<Model> beforeSave;

    /** @param beforeSave puts the command line's metadata and training state into the model before each save */
    Checkpoints(int every, Path out, Consumer<Model> beforeSave) {
        this.every = every;
        this.out = out;
        this.beforeSave = beforeSave;
    }

    /** The checkpoint file of {@code epoch} for {@code out}: {@code m.nabla} gives {@code m.epoch3.nabla}. */
    static Path file(Path out, int epoch) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".nabla") ? name.substring(0, name.length() - ".nabla".length()) : name;
        return out.resolveSibling(stem + ".epoch" + epoch + ".nabla");
    }

    /**
     * Checks, before training, the checkpoint files of epochs {@code first..last}: each may be new or an old model, but
     * not a folder, a special file, a link or another file, which a checkpoint would replace.
     */
    void checkFiles(int first, int last) {
        for (int e = first; e <= last; e++) {
            if (e % every != 0) continue;
            Path file = file(out, e);
            OutputFiles.checkReplaceable(file, "--checkpoint-every");
            if (java.nio.file.Files.isDirectory(file) || java.nio.file.Files.isRegularFile(file) && !OutputFiles.isModelFile(file)) {
                throw new UsageException("--checkpoint-every " + every + ": " + file + " exists and is not a Nabla model file, which "
                        + "the checkpoint would replace; choose another --out");
            }
        }
    }

    /** What the help and the training summary say. */
    String describe() {
        return "every " + every + " epoch" + (every == 1 ? "" : "s") + " to " + file(out, every).toString().replace(".epoch" + every, ".epochE");
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        if (epoch % every != 0 || context.rank() != 0) return;   // in data-parallel training rank 0 saves
        Path file = file(out, epoch);
        try {
            beforeSave.accept(context.model());
            context.model().save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("--checkpoint-every: cannot save " + file + ": " + Errors.message(e), e);
        }
    }
}
