package dev.nabla.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Lists the data files of one class folder. */
    @FunctionalInterface
    interface Lister {
        List<Path> list(Path classDir) throws IOException;
    }

    /** The files of a labelled folder and each one's class index. */
    record Labelled(List<Path> files, List<Integer> labels) {
    }

    /**
     * A labelled folder read for a trained model, in its class order: the folder may hold only some of
     * {@code classes}, but a class folder the model does not know is an error naming it.
     */
    static Labelled withKnownClasses(Path dir, List<String> classes, Lister lister) throws IOException {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) index.put(classes.get(k), k);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path classDir : ImageFolderLoader.classFolders(dir)) {
            String name = classDir.getFileName().toString();
            Integer k = index.get(name);
            if (k == null) {
                throw new DataException(classDir + ": the model does not know the class '" + name + "' (its classes: "
                        + String.join(", ", classes) + ")");
            }
            List<Path> found = lister.list(classDir);
            files.addAll(found);
            for (int i = 0; i < found.size(); i++) labels.add(k);
        }
        return new Labelled(files, labels);
    }

    /** Whether a path relative to the data folder passes through a hidden file or folder (a name starting with "."). */
    static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }
}
