package dev.nabla.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads texts arranged as one sub-folder per class ({@code reviews/pos/1.txt}, {@code reviews/neg/2.txt}), like Keras'
 * {@code text_dataset_from_directory}: class names are the sorted folder names, {@code .txt} files inside a class
 * folder may sit in nested folders (hidden files and other files are skipped), every file is one text and must be
 * UTF-8 (an error names a file that is not).
 */
public final class TextFolderLoader {

    private TextFolderLoader() {
    }

    /** A training folder: at least 2 class folders, each with at least one {@code .txt} file. */
    public static TextSamples load(Path dir) throws IOException {
        Listed found = list(dir);
        return samples(found.files(), found.labels(), preprocessing(found.classes()));
    }

    /** A training folder's classes (sorted folder names), files (by class, then path) and each file's class. */
    record Listed(List<String> classes, List<Path> files, List<Integer> labels) {
    }

    /** Lists a training folder as {@link #load} reads it, without reading a file. */
    static Listed list(Path dir) throws IOException {
        List<Path> classDirs = ImageFolderLoader.trainingClassFolders(dir);
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < classDirs.size(); k++) {
            List<Path> texts = listTexts(classDirs.get(k));
            if (texts.isEmpty()) throw new DataException(classDirs.get(k) + ": no .txt files in this class folder");
            classes.add(classDirs.get(k).getFileName().toString());
            files.addAll(texts);
            for (int i = 0; i < texts.size(); i++) labels.add(k);
        }
        return new Listed(classes, files, labels);
    }

    /**
     * A labelled folder for a trained model, in its class order; the folder may hold only some of the classes, but a
     * class folder the model does not know is an error.
     */
    public static TextSamples loadWith(Path dir, Preprocessing fitted) throws IOException {
        FolderFiles.Labelled found = FolderFiles.withKnownClasses(dir, fitted.classes(), TextFolderLoader::listTexts);
        List<Path> files = found.files();
        List<Integer> labels = found.labels();
        if (files.isEmpty()) throw new DataException(dir + ": no .txt files in the class folders");
        return samples(files, labels, fitted);
    }

    /** The given files, one text each, without labels (for predict). */
    public static TextSamples loadFiles(List<Path> files, Preprocessing fitted) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("loadFiles: no text files given");
        return samples(files, null, fitted);
    }

    /** {@code .txt} files under {@code dir} (nested folders included, hidden ones skipped), sorted by path. */
    public static List<Path> listTexts(Path dir) throws IOException {
        return FolderFiles.list(dir, TextFolderLoader::isTextFile);
    }

    /** Whether the file name ends with {@code .txt} (any case). */
    public static boolean isTextFile(Path file) {
        String name = file.getFileName().toString();
        return name.length() > 4 && name.toLowerCase(Locale.ROOT).endsWith(".txt");
    }

    /**
     * Whether the class folders of {@code dir} hold text rather than images: the first data file found (in walk order)
     * is a {@code .txt} file.
     */
    static boolean holdsTexts(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> !p.equals(dir) && !FolderFiles.hidden(dir.relativize(p)) && p.getParent() != null && !p.getParent().equals(dir))
                    .filter(p -> isTextFile(p) || ImageFolderLoader.isImageFile(p))
                    .findFirst().map(TextFolderLoader::isTextFile).orElse(false);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static Preprocessing preprocessing(List<String> classes) {
        return new Preprocessing("text", Task.CLASSIFICATION, List.copyOf(classes), List.of(), null, null, null, 0, 1, null);
    }

    private static TextSamples samples(List<Path> files, List<Integer> labels, Preprocessing p) throws IOException {
        String[] texts = new String[files.size()];
        Parallel.forEach(files.size(), i -> texts[i] = TextFiles.read(files.get(i)));
        int[] y = labels == null ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new TextSamples(List.of(texts), y, files.stream().map(Path::toString).toList(), p);
    }

}
