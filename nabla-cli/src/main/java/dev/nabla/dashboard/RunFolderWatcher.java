package dev.nabla.dashboard;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;
import dev.nabla.train.RunFolder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the run folders under a folder ({@link RunFolder}: {@code settings.json}, {@code metrics.jsonl}) into a
 * dashboard's log, then looks again every second: runs that appear and lines that are added (a training still going in
 * another process) reach the open pages. Only whole lines are read (a line still being written waits for its end);
 * a line that is not a JSON object is skipped, as is a settings file over {@value #MAX_SETTINGS_BYTES} bytes. The
 * folder may also be one run folder itself.
 */
final class RunFolderWatcher implements AutoCloseable {

    static final long MAX_SETTINGS_BYTES = 16L << 20;
    private static final long POLL_MILLIS = 1000;
    private static final int MAX_LINE_BYTES = 1 << 20;

    /** One run being followed: where its events file was read up to. */
    private static final class Run {
        final String id;
        final Path folder;
        long offset;

        Run(String id, Path folder) {
            this.id = id;
            this.folder = folder;
        }
    }

    private final Path dir;
    private final EventLog log;
    private final Map<Path, Run> runs = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    RunFolderWatcher(Path dir, EventLog log) {
        this.dir = dir;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("nabla-dashboard-runs").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MILLIS);
                scan();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // a folder removed or unreadable meanwhile: look again next time
            }
        }
    }

    /** Reads what is new: run folders, then the lines added to each run's events. */
    synchronized void scan() throws IOException {
        for (Path folder : runFolders()) {
            if (!runs.containsKey(folder)) {
                String settings = settings(folder);
                if (settings == null) continue;
                Run run = new Run(folder.getFileName() == null ? folder.toString() : folder.getFileName().toString(), folder);
                runs.put(folder, run);
                log.append(Dashboard.entry(run.id, "{\"type\":\"settings\",\"settings\":" + settings + "}"));
            }
        }
        for (Run run : runs.values()) readLines(run);
    }

    /** {@code dir} when it is a run folder, else its sub-folders that hold a settings file, by name. */
    private List<Path> runFolders() throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve(RunFolder.SETTINGS))) {
            found.add(dir);
            return found;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) if (Files.isRegularFile(p.resolve(RunFolder.SETTINGS))) found.add(p);
        }
        found.sort(null);
        return found;
    }

    /** The settings as compact JSON, or null while the file is not (yet) a readable JSON object. */
    private static String settings(Path folder) {
        Path file = folder.resolve(RunFolder.SETTINGS);
        try {
            if (Files.size(file) > MAX_SETTINGS_BYTES) return null;
            Object value = Json.parse(Files.readString(file, StandardCharsets.UTF_8), 64);
            return value instanceof Map<?, ?> ? Json.write(value) : null;
        } catch (IOException | JsonException e) {
            return null;
        }
    }

    private void readLines(Run run) throws IOException {
        Path file = run.folder.resolve(RunFolder.METRICS);
        if (!Files.isRegularFile(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            while (run.offset < size) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_LINE_BYTES, size - run.offset));
                int read = ch.read(buf, run.offset);
                if (read <= 0) return;
                byte[] bytes = buf.array();
                int lineStart = 0;
                for (int i = 0; i < read; i++) {
                    if (bytes[i] != '\n') continue;
                    line(run, new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8));
                    lineStart = i + 1;
                }
                if (lineStart == 0) {
                    // no line end in a whole buffer: a line over the limit (skipped), or one still being written
                    if (read == MAX_LINE_BYTES) run.offset += read;
                    return;
                }
                run.offset += lineStart;
            }
        }
    }

    private void line(Run run, String line) {
        String text = line.strip();
        if (text.isEmpty()) return;
        try {
            Object value = Json.parse(text, 64);
            // written again: one line for sure, whatever the file held
            if (value instanceof Map<?, ?>) log.append(Dashboard.entry(run.id, Json.write(value)));
        } catch (JsonException e) {
            // not an event: skipped
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
