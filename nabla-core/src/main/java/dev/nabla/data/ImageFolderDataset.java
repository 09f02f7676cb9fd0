package dev.nabla.data;

import dev.nabla.dataset.Batch;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.Example;
import dev.nabla.dataset.ExampleSpec;
import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of class folders as a random-access {@link Dataset} whose images are decoded when a batch needs them
 * (PyTorch's {@code ImageFolder}): only the file list and labels are held, so memory is bounded by the batches in
 * flight, not by the folder. The folder is read as {@link ImageFolderLoader} reads it (the same classes, files,
 * order, size, channels and pixel values), so a model trained on it sees what it would see in memory.
 *
 * <pre>{@code
 * ImageFolderDataset pets = ImageFolderDataset.open(Path.of("pets"), new int[]{64, 64}, 255);
 * model.fit(pets, new FitOptions().epochs(10).batchSize(64).trainTransform(new ImageAugmentation(true, 4)));
 * }</pre>
 */
public final class ImageFolderDataset implements Dataset {

    private final Path root;
    private final List<Path> files;
    private final int[] labels;
    private final Preprocessing preprocessing;
    private final int[] shape;
    private final ExampleSpec spec;

    private ImageFolderDataset(Path root, List<Path> files, int[] labels, Preprocessing preprocessing) {
        this.root = root;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.preprocessing = preprocessing;
        this.shape = preprocessing.imageShape().clone();
        this.spec = ExampleSpec.of(shape, new int[0], false);
    }

    /**
     * A training folder: class names are the sorted sub-folder names (at least 2), images are sized to
     * {@code sizeWH} ({@code [width, height]}; null: the most common size, at most
     * {@value ImageFolderLoader#MAX_DEFAULT_SIDE} a side), pixels from 0 to {@code pixelMax} (1 or 255). Every
     * file's header is read now (sizes, channels); the pixels are not.
     */
    public static ImageFolderDataset open(Path dir, int[] sizeWH, int pixelMax) throws IOException {
        if (sizeWH != null && (sizeWH.length != 2 || sizeWH[0] < 1 || sizeWH[1] < 1)) {
            throw new IllegalArgumentException("image size must be [width, height] with positive sides");
        }
        List<Path> classDirs = ImageFolderLoader.trainingClassFolders(dir);
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < classDirs.size(); k++) {
            Path classDir = classDirs.get(k);
            List<Path> images = ImageFolderLoader.listImages(classDir);
            if (images.isEmpty()) throw new DataException(classDir + ": no images (PNG, JPEG, BMP or GIF files) in this class folder");
            classes.add(classDir.getFileName().toString());
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) labels.add(k);
        }
        ImageDecoder.Info[] infos = new ImageDecoder.Info[files.size()];
        Parallel.forEach(files.size(), i -> infos[i] = ImageDecoder.probe(files.get(i)));
        int channels = 1;
        for (ImageDecoder.Info info : infos) if (!info.gray()) channels = 3;
        int[] size = sizeWH != null ? sizeWH.clone() : ImageFolderLoader.commonSize(infos);
        int[] shape = {channels, size[1], size[0]};
        Preprocessing p = new Preprocessing("image", Task.CLASSIFICATION, List.copyOf(classes), List.of(), null,
                null, null, 0, 1, shape, pixelMax);
        return new ImageFolderDataset(dir, files, toArray(labels), p);
    }

    /**
     * A labelled folder read for a trained model: its image shape, pixel range and class order; the folder may hold
     * only some of the classes, but a class folder the model does not know is an error.
     */
    public static ImageFolderDataset openWith(Path dir, Preprocessing fitted) throws IOException {
        if (fitted.imageShape() == null || fitted.imageShape().length != 3) {
            throw new IllegalArgumentException("the preprocessing has no image shape [C, H, W]");
        }
        FolderFiles.Labelled found = FolderFiles.withKnownClasses(dir, fitted.classes(), ImageFolderLoader::listImages);
        if (found.files().isEmpty()) throw new DataException(dir + ": no images (PNG, JPEG, BMP or GIF files) in the class folders");
        return new ImageFolderDataset(dir, found.files(), toArray(found.labels()), fitted);
    }

    private static int[] toArray(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    /** The image files, in example order (by class, then path). */
    public List<Path> files() {
        return files;
    }

    /** The class number of each example. */
    public int[] labels() {
        return labels.clone();
    }

    /** Classes, image shape and pixel range, as {@link ImageFolderLoader} gives them. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Bytes the decoded pixels of every image would take in memory (4 per value). */
    public long decodedBytes() {
        return 4L * files.size() * shape[0] * shape[1] * shape[2];
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public ExampleSpec spec() {
        return spec;
    }

    @Override
    public Example get(int index) throws IOException {
        float[] pixels = new float[shape[0] * shape[1] * shape[2]];
        ImageDecoder.decodeInto(files.get(index), shape[0], shape[2], shape[1], preprocessing.pixelMax(), pixels, 0);
        return new Example(pixels, new float[]{labels[index]});
    }

    /** Decodes the batch's images straight into one array (on the calling worker thread). */
    @Override
    public Batch batch(int[] indices) throws IOException {
        int per = shape[0] * shape[1] * shape[2];
        float[] x = new float[indices.length * per];
        float[] y = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            ImageDecoder.decodeInto(files.get(indices[i]), shape[0], shape[2], shape[1], preprocessing.pixelMax(), x, i * per);
            y[i] = labels[indices[i]];
        }
        return new Batch(Tensor.wrap(x, indices.length, shape[0], shape[1], shape[2]), Tensor.wrap(y, indices.length), null);
    }

    /**
     * Every image decoded into memory (on all cores): what {@link ImageFolderLoader} returns; a
     * {@link HeapLimit.TooLargeForMemory} when the pixels cannot fit in the heap.
     */
    public LoadedData loadAll() throws IOException {
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i];
        return new LoadedData(ImageFolderLoader.decode(files, preprocessing, root), Tensor.wrap(y, y.length), preprocessing);
    }
}
