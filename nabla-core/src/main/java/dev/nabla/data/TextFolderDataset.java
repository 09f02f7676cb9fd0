package dev.nabla.data;

import dev.nabla.dataset.Batch;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.Example;
import dev.nabla.dataset.ExampleSpec;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.TextPass;
import dev.nabla.text.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder of class folders of {@code .txt} files as a random-access {@link Dataset} whose texts are read and encoded
 * when a batch needs them: only the file list and labels are held, so memory is bounded by the batches in flight,
 * not by the folder. The folder is listed as {@link TextFolderLoader} lists it (the same classes, files and order),
 * the tokenizer is trained by {@link #pass} over the training files ({@link Tokenizer#train(TextPass, Tokenizer.Options)}),
 * and each file is encoded as {@link TextSamples#encode} encodes it, so a model sees what it would see in memory.
 *
 * <pre>{@code
 * TextFolderDataset reviews = TextFolderDataset.open(Path.of("reviews"));
 * Tokenizer t = Tokenizer.train(reviews.pass(trainIndices), Tokenizer.Options.defaults());
 * model.fit(reviews.withTokenizer(t).subset(trainIndices), new FitOptions().epochs(5));
 * }</pre>
 */
public final class TextFolderDataset implements Dataset {

    /** Files read at once (on all cores) by a {@link #pass}: enough to keep the disk busy, few enough to stay small. */
    static final int PASS_CHUNK = 256;
    /** Bytes of files a {@link #pass} reads at once (more only for one file larger than this). */
    static final long PASS_CHUNK_BYTES = 4L << 20;

    private final Path root;
    private final List<Path> files;
    private final int[] labels;
    private final Preprocessing preprocessing;
    private final Tokenizer tokenizer;
    private final ExampleSpec spec;

    private TextFolderDataset(Path root, List<Path> files, int[] labels, Preprocessing preprocessing, Tokenizer tokenizer) {
        this.root = root;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.preprocessing = preprocessing;
        this.tokenizer = tokenizer;
        this.spec = tokenizer == null ? null : ExampleSpec.of(new int[]{tokenizer.maxLength()}, new int[0], false);
    }

    /** A training folder, listed (no file is read): at least 2 class folders, each with at least one {@code .txt} file. */
    public static TextFolderDataset open(Path dir) throws IOException {
        TextFolderLoader.Listed found = TextFolderLoader.list(dir);
        return new TextFolderDataset(dir, found.files(), toArray(found.labels()),
                TextFolderLoader.preprocessing(found.classes()), null);
    }

    /**
     * A labelled folder for a trained model, in its class order, encoded by its {@code tokenizer}; the folder may hold
     * only some of the classes, but a class folder the model does not know is an error.
     */
    public static TextFolderDataset openWith(Path dir, Preprocessing fitted, Tokenizer tokenizer) throws IOException {
        FolderFiles.Labelled found = FolderFiles.withKnownClasses(dir, fitted.classes(), TextFolderLoader::listTexts);
        if (found.files().isEmpty()) throw new DataException(dir + ": no .txt files in the class folders");
        return new TextFolderDataset(dir, found.files(), toArray(found.labels()), fitted, tokenizer);
    }

    private static int[] toArray(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    /** The same files encoded by {@code t}. */
    public TextFolderDataset withTokenizer(Tokenizer t) {
        return new TextFolderDataset(root, files, labels, preprocessing, t);
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    /** The text files, in example order (by class, then path). */
    public List<Path> files() {
        return files;
    }

    /** The class number of each example. */
    public int[] labels() {
        return labels.clone();
    }

    /** Classes, as {@link TextFolderLoader} gives them. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The tokenizer encoding the texts, or null before {@link #withTokenizer}. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The files' total size in bytes (their sizes now, as listed). */
    public long fileBytes() throws IOException {
        long total = 0;
        for (Path f : files) total += Files.size(f);
        return total;
    }

    /**
     * A pass over the texts of the examples at {@code indices}, in that order: files are read a chunk at a time
     * (at most {@value #PASS_CHUNK} files and {@value #PASS_CHUNK_BYTES} bytes) on all cores, handed on in order, and
     * dropped.
     */
    public TextPass pass(int[] indices) {
        int[] order = indices.clone();
        return each -> {
            String[] chunk = new String[Math.min(PASS_CHUNK, order.length)];
            int start = 0;
            while (start < order.length) {
                int n = 0;
                long bytes = 0;
                while (start + n < order.length && n < chunk.length && (n == 0 || bytes < PASS_CHUNK_BYTES)) {
                    bytes += sizeOrZero(files.get(order[start + n]));
                    n++;
                }
                int from = start;
                Parallel.forEach(n, i -> chunk[i] = TextFiles.read(files.get(order[from + i])));
                for (int i = 0; i < n; i++) {
                    each.accept(chunk[i]);
                    chunk[i] = null;
                }
                start += n;
            }
        };
    }

    // a file gone since it was listed is reported by the read that follows, with the reader's message
    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public ExampleSpec spec() {
        return requireTokenizer().spec;
    }

    @Override
    public Example get(int index) throws IOException {
        return new Example(encode(index), new float[]{labels[index]});
    }

    /** Reads and encodes the batch's files straight into one array (on the calling worker thread). */
    @Override
    public Batch batch(int[] indices) throws IOException {
        int length = requireTokenizer().tokenizer.maxLength();
        float[] x = new float[indices.length * length];
        float[] y = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int[] ids = tokenizer.encode(TextFiles.read(files.get(indices[i])));
            for (int j = 0; j < length; j++) x[i * length + j] = ids[j];
            y[i] = labels[indices[i]];
        }
        return new Batch(Tensor.wrap(x, indices.length, length), Tensor.wrap(y, indices.length), null);
    }

    private float[] encode(int index) throws IOException {
        int[] ids = requireTokenizer().tokenizer.encode(TextFiles.read(files.get(index)));
        float[] out = new float[ids.length];
        for (int j = 0; j < ids.length; j++) out[j] = ids[j];
        return out;
    }

    private TextFolderDataset requireTokenizer() {
        if (tokenizer == null) throw new IllegalStateException("no tokenizer yet: train one on pass(...) and use withTokenizer");
        return this;
    }
}
