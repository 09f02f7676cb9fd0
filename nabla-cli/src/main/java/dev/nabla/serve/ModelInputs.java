package dev.nabla.serve;

import dev.nabla.data.ColumnEncoder;
import dev.nabla.data.DataException;
import dev.nabla.data.ImageFolderLoader;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.TableColumns;
import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raw request values as a served model's inputs, prepared exactly as {@code nabla predict} prepares a CSV file, image
 * files or texts: table cells through the saved column encoders (imputation, one-hot, hashing; the network itself
 * standardises), images decoded and resized to the model's image shape and pixel range, texts through the model's
 * tokenizer. Every refusal is a 400 naming the sample and the column.
 */
final class ModelInputs {

    private final ServedModel served;
    private final Preprocessing p;
    // built once: older models' plain numeric encoders are made on each call of Preprocessing.tableColumns
    private final TableColumns table;
    private final List<String> columns;
    private final List<String> textColumns;

    ModelInputs(ServedModel served) {
        this.served = served;
        this.p = served.preprocessing();
        this.table = table() ? p.tableColumns() : null;
        this.columns = table != null ? table.featureColumns() : List.of();
        this.textColumns = table != null ? textColumnsOf(table) : List.of();
    }

    /** Whether the model reads images ({@code [N, C, H, W]}). */
    boolean images() {
        return p.imageShape() != null;
    }

    /** Whether the model reads texts. */
    boolean texts() {
        return "text".equals(p.kind());
    }

    /** Whether the model reads table rows. */
    boolean table() {
        return !images() && !texts();
    }

    /** The feature columns of a table row, in the training CSV's order (feature names for older models). */
    List<String> columns() {
        return columns;
    }

    /** The table columns that hold text (categories), which FP32 rows cannot carry. */
    List<String> textColumns() {
        return textColumns;
    }

    // computed once per model (every request asks); a table always has encoders (plain numeric ones for older models)
    private static List<String> textColumnsOf(TableColumns c) {
        List<String> out = new ArrayList<>();
        for (ColumnEncoder e : c.features()) {
            if (!"numeric".equals(e.toMap().get("type"))) out.add(e.column());
        }
        return List.copyOf(out);
    }

    /** {@code rows} rows of numbers in {@link #columns()} order (NaN for a missing cell); no text columns. */
    Tensor numbers(double[] values, int rows) {
        requireTable();
        try {
            return table.encodeFeatureNumbers(values, rows);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /** Rows of raw cells in {@link #columns()} order ({@code ""} or {@code NA} for a missing cell). */
    Tensor rows(List<List<String>> rows) {
        requireTable();
        try {
            return table.encodeFeatureRows(rows);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /** Rows as column name to raw cell: every feature column is needed, a name the table does not have is refused. */
    Tensor records(List<Map<String, String>> rows) {
        requireTable();
        // the training file's other columns (the label, ignored ones) may come along, as in a CSV file
        Set<String> known = new LinkedHashSet<>(table.csvColumns());
        for (int i = 0; i < rows.size(); i++) {
            for (String key : rows.get(i).keySet()) {
                if (!known.contains(key)) {
                    throw HttpError.badRequest("instances[" + i + "]: unknown column '" + key + "' (feature columns: "
                            + String.join(", ", columns()) + ")");
                }
            }
        }
        try {
            return table.encodeRecords(rows);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /**
     * Encoded image files (PNG, JPEG, BMP, GIF), decoded by the same code as {@code nabla predict photo.png}: each is
     * written to a temporary file that is deleted at once, so the pixel limit, resizing and pixel range are predict's.
     */
    Tensor imageFiles(List<byte[]> files, String what) {
        requireImages();
        List<Path> paths = new ArrayList<>();
        try {
            for (byte[] bytes : files) {
                Path f = Files.createTempFile("nabla-serve-", ".img");
                paths.add(f);
                Files.write(f, bytes);
            }
            return ImageFolderLoader.loadFiles(paths, p);
        } catch (DataException e) {
            String message = e.getMessage();
            for (int i = 0; i < paths.size(); i++) message = message.replace(paths.get(i).toString(), what + "[" + i + "]");
            throw HttpError.badRequest(message);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (Path f : paths) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a temporary file; nothing else to do
                }
            }
        }
    }

    /** Pixels already decoded, {@code [N, C, H, W]} in the model's image shape and pixel range. */
    Tensor imagePixels(float[] data, int[] shape) {
        requireImages();
        int[] chw = p.imageShape();
        if (shape.length != 4 || shape[1] != chw[0] || shape[2] != chw[1] || shape[3] != chw[2]) {
            throw HttpError.badRequest("shape " + java.util.Arrays.toString(shape) + ": the model takes images of [N, "
                    + chw[0] + ", " + chw[1] + ", " + chw[2] + "] (N, channels, height, width)");
        }
        return Tensor.wrap(data, shape);
    }

    /** Texts, encoded by the model's tokenizer (padded or cut to its length). */
    Tensor texts(List<String> texts) {
        if (!texts()) throw HttpError.badRequest("model '" + served.name() + "' reads " + reads() + ", not texts");
        return served.tokenizer().encode(texts);
    }

    /** What the model reads, in words. */
    String reads() {
        return images() ? "images" : texts() ? "texts" : "table rows";
    }

    private void requireTable() {
        if (!table()) throw HttpError.badRequest("model '" + served.name() + "' reads " + reads() + ", not table rows");
    }

    private void requireImages() {
        if (!images()) throw HttpError.badRequest("model '" + served.name() + "' reads " + reads() + ", not images");
    }
}
