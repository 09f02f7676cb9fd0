package dev.nabla.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Walking a data folder as the image and text loaders do: links followed, hidden files and folders skipped. */
final class FolderFiles {

    private FolderFiles() {
    }

    /** Regular files under {@code dir} (nested folders included) that {@code kind} accepts, sorted by path. */
    static List<Path> list(Path dir, Predicate<Path> kind) throws IOException {
        // links followed: data sets are often assembled from symlinked folders
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> !p.equals(dir) && !hidden(dir.relativize(p)) && kind.test(p) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Whether a path relative to the data folder passes through a hidden file or folder (a name starting with "."). */
    static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }
}
