package dev.nabla.train;

import dev.nabla.io.AtomicFiles;
import dev.nabla.io.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One training run kept as plain files in a folder of its own, {@code ROOT/YYYYMMDD-HHMMSS_NAME} (a suffix
 * {@code -2}, {@code -3}, ... when that exists: a run never writes into another's folder):
 * <ul>
 *   <li>{@code settings.json}: the settings {@link RunRecorder#settings} was given, written whole (temporary file and
 *       rename);</li>
 *   <li>{@code metrics.jsonl}: the events, one JSON object per line, each line written in one piece as it happens, so
 *       that a run that crashed leaves every line before the crash readable.</li>
 * </ul>
 * A write that fails (a full disk) stops the record, not training: {@link #error} says what happened.
 */
public final class RunFolder implements RunRecorder.Sink {

    /** The settings file's name in a run folder. */
    public static final String SETTINGS = "settings.json";
    /** The events file's name in a run folder. */
    public static final String METRICS = "metrics.jsonl";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path folder;
    private OutputStream metrics;
    private IOException error;

    private RunFolder(Path folder) {
        this.folder = folder;
    }

    /**
     * Creates a new run folder under {@code root} (created too where missing), named by the local time and
     * {@code name} (characters other than letters, digits, {@code .}, {@code _} and {@code -} become {@code _}).
     */
    public static RunFolder create(Path root, String name) throws IOException {
        Files.createDirectories(root);
        String base = LocalDateTime.now().format(STAMP) + "_" + safe(name);
        for (int i = 1; ; i++) {
            Path folder = root.resolve(i == 1 ? base : base + "-" + i);
            try {
                Files.createDirectory(folder);
                return new RunFolder(folder);
            } catch (FileAlreadyExistsException e) {
                if (i >= 1000) throw e;
            }
        }
    }

    /** The run's folder. */
    public Path folder() {
        return folder;
    }

    /** The first write that failed, or null: the record stopped there. */
    public IOException error() {
        return error;
    }

    @Override
    public void settings(String json) {
        if (error != null) return;
        try {
            AtomicFiles.write(folder.resolve(SETTINGS), (Json.write(Json.parse(json), true) + "\n").getBytes(StandardCharsets.UTF_8));
            metrics = Files.newOutputStream(folder.resolve(METRICS), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            error = e;
        }
    }

    @Override
    public void event(String json) {
        if (error != null) return;
        try {
            if (metrics == null) metrics = Files.newOutputStream(folder.resolve(METRICS), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            // one write per line: a crash cuts between lines, not through one
            metrics.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            error = e;
        }
    }

    @Override
    public void close() {
        if (metrics == null) return;
        try {
            metrics.close();
        } catch (IOException e) {
            if (error == null) error = e;
        }
        metrics = null;
    }

    static String safe(String name) {
        String s = name == null || name.isEmpty() ? "run" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 80 ? s.substring(0, 80) : s;
    }
}
