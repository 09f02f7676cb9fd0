package dev.nabla.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes one CSV row per epoch ({@code epoch,loss,accuracy,val_loss,...}), flushed as each epoch ends. */
public final class CsvLogger implements Callback {

    private final Path file;
    private List<String> columns;

    public CsvLogger(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        columns = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        if (context.rank() != 0) return;   // the ranks of data-parallel training log the same values: one writes them
        StringBuilder sb = new StringBuilder();
        boolean startsFile = columns == null;
        if (startsFile) {
            columns = new ArrayList<>(logs.keySet());
            sb.append("epoch");
            for (String c : columns) sb.append(',').append(c);
            sb.append('\n');
        }
        sb.append(epoch);
        for (String c : columns) {
            Double v = logs.get(c);
            sb.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
        }
        sb.append('\n');
        try {
            if (startsFile) {
                Files.writeString(file, sb, StandardCharsets.UTF_8);
            } else {
                Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file + ": " + e.getMessage(), e);
        }
    }
}
