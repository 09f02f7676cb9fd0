package dev.nabla.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary files of saves in progress ({@code .NAME.<hex>.tmp} beside the target): deleted when the JVM stops
 * while they are written (Ctrl-C, SIGTERM), since a signal interrupts no Java thread; and the ones a killed process
 * (kill -9, a power cut) left behind are removed by the next save to the same name.
 */
final class TempFiles {

    /** A temporary file this old is not a save in progress: saving even a large model takes seconds. */
    static final Duration STALE = Duration.ofMinutes(10);

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteLive, "nabla-temp-files"));
        } catch (IllegalStateException e) {
            // first used while the JVM stops (a model saved on Ctrl-C): the save goes on, nothing is left to clean up
        }
    }

    private TempFiles() {
    }

    /**
     * Creates an empty temporary file for a save to {@code target} in {@code dir}, live until {@link #done}. Same
     * directory, so the rename stays on one file system; created with CREATE_NEW under the umask, unlike
     * Files.createTempFile, whose owner-only permissions would carry over to the final model file.
     */
    static Path create(Path dir, String target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + target + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                LIVE.add(temp);
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
    }

    /** The temporary file was renamed or deleted. */
    static void done(Path temp) {
        LIVE.remove(temp);
    }

    /** Deletes temporary files for {@code target} in {@code dir} older than {@link #STALE}; returns how many. */
    static int removeStale(Path dir, String target) {
        int removed = 0;
        Instant before = Instant.now().minus(STALE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob(target))) {
            for (Path p : entries) {
                if (LIVE.contains(p) || !Files.isRegularFile(p)) continue;
                FileTime modified = Files.getLastModifiedTime(p);
                if (modified.toInstant().isBefore(before) && Files.deleteIfExists(p)) removed++;
            }
        } catch (IOException | RuntimeException e) {
            // a folder that cannot be listed keeps its leftovers; the save itself goes on
        }
        return removed;
    }

    private static String glob(String target) {
        // the glob's special characters in a model's name are matched literally
        StringBuilder sb = new StringBuilder(".");
        for (char c : target.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.append(".*.tmp").toString();
    }

    private static void deleteLive() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the JVM is stopping: nothing more can be done about it
            }
        }
    }
}
