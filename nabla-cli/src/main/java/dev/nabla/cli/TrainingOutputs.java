package dev.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files a training run writes ({@code --out}, {@code --plot}): checked before any work, written after it. */
final class TrainingOutputs {

    private TrainingOutputs() {
    }

    /**
     * Nothing is ever lost: {@code --out} and {@code --plot} must be writable and name none of the inputs (the data,
     * the {@code --model} being continued) nor each other; a continued model goes to a new file (the default
     * {@code --out model.nabla} included), so the model it started from stays as it was.
     */
    static void check(Training.Settings s, Path resume) {
        checkWritable(s.out(), "--out");
        checkNotAnInput("--out", s.out(), s, resume);
        if (s.plot() == null) return;
        checkWritable(s.plot(), "--plot");
        if (Training.sameFile(s.plot(), s.out())) throw new UsageException("--plot " + s.plot() + ": the same file as --out");
        checkNotAnInput("--plot", s.plot(), s, resume);
    }

    private static void checkNotAnInput(String flag, Path file, Training.Settings s, Path model) {
        String input = Training.sameFile(file, s.data()) ? "--data" : s.test() != null && Training.sameFile(file, s.test()) ? "--test"
                : model != null && Training.sameFile(file, model) ? "--model" : null;
        if (input != null) throw new UsageException(flag + " " + file + ": is the " + input + " file, which would be overwritten");
    }

    static void checkWritable(Path file, String flag) {
        OutputFiles.checkReplaceable(file, flag);
        if (Files.isDirectory(file)) throw new UsageException(flag + " " + file + ": is a folder; give a file name");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(flag + " " + file + ": the folder " + parent + " does not exist");
        }
        if (parent != null && !Files.isWritable(parent)) {
            throw new UsageException(flag + " " + file + ": cannot write in " + parent);
        }
    }

    /**
     * Writes the plot after the model was saved to {@code savedModel}: the path was checked before training, so a
     * failure now means something changed since, and the message says that the model is safe and where.
     */
    static void writePlot(Path plotFile, byte[] plot, Path savedModel) throws IOException {
        try {
            dev.nabla.io.AtomicFiles.write(plotFile, plot);
        } catch (IOException e) {
            throw new IOException("--plot " + plotFile + ": could not be written (" + Errors.message(e)
                    + "); the model was saved to " + savedModel, e);
        }
    }

}
