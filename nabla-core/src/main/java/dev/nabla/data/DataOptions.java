package dev.nabla.data;

import java.util.List;

/**
 * How {@link DataSources} reads a data set.
 *
 * @param labelColumn CSV label column name; null for the last column
 * @param imageSize   {@code [width, height]} images are resized to; null for the most common size (at most 128 a side)
 * @param standardize standardise CSV features (mean 0, deviation 1, fitted on the training rows)
 * @param test        IDX folders: read the {@code t10k-*} files instead of {@code train-*}
 * @param task        force classification or regression for a CSV; null decides from the labels
 * @param pixelMax    image pixels from 0 to this: 1, or 255 for a model that rescales them itself
 * @param csv         a CSV file's encoding and delimiter
 * @param columns     CSV feature columns to use (null: all but the label and {@code ignore})
 * @param ignore      CSV columns that are not features (null: none)
 */
public record DataOptions(String labelColumn, int[] imageSize, boolean standardize, boolean test, Task task, int pixelMax,
                          CsvFormat csv, List<String> columns, List<String> ignore) {

    public DataOptions {
        if (csv == null) throw new IllegalArgumentException("csv: must not be null (CsvFormat.DEFAULT for UTF-8, delimiter detected)");
        columns = columns == null ? null : List.copyOf(columns);
        ignore = ignore == null ? null : List.copyOf(ignore);
        if (pixelMax != 1 && pixelMax != 255) throw new IllegalArgumentException("pixel values run to 1 or to 255, not " + pixelMax);
        if (imageSize != null) {
            if (imageSize.length != 2 || imageSize[0] < 1 || imageSize[1] < 1) {
                throw new IllegalArgumentException("image size must be two positive numbers (width, height)");
            }
            imageSize = imageSize.clone();
        }
    }

    /**
     * Last column as label, most common image size, standardised features, training files, task from the labels,
     * pixels in {@code [0, 1]}.
     */
    public static DataOptions defaults() {
        return new DataOptions(null, null, true, false, null, 1, CsvFormat.DEFAULT, null, null);
    }

    public DataOptions withLabelColumn(String column) {
        return new DataOptions(column, imageSize, standardize, test, task, pixelMax, csv, columns, ignore);
    }

    public DataOptions withImageSize(int[] widthHeight) {
        return new DataOptions(labelColumn, widthHeight, standardize, test, task, pixelMax, csv, columns, ignore);
    }

    public DataOptions withStandardize(boolean value) {
        return new DataOptions(labelColumn, imageSize, value, test, task, pixelMax, csv, columns, ignore);
    }

    public DataOptions withTest(boolean value) {
        return new DataOptions(labelColumn, imageSize, standardize, value, task, pixelMax, csv, columns, ignore);
    }

    public DataOptions withTask(Task value) {
        return new DataOptions(labelColumn, imageSize, standardize, test, value, pixelMax, csv, columns, ignore);
    }

    public DataOptions withPixelMax(int value) {
        return new DataOptions(labelColumn, imageSize, standardize, test, task, value, csv, columns, ignore);
    }

    public DataOptions withCsv(CsvFormat value) {
        return new DataOptions(labelColumn, imageSize, standardize, test, task, pixelMax, value, columns, ignore);
    }

    /** Feature columns chosen by name (null: all but the label and the ignored ones). */
    public DataOptions withColumns(List<String> value) {
        return new DataOptions(labelColumn, imageSize, standardize, test, task, pixelMax, csv, value, ignore);
    }

    /** Columns left out of the features (null: none). */
    public DataOptions withIgnore(List<String> value) {
        return new DataOptions(labelColumn, imageSize, standardize, test, task, pixelMax, csv, columns, value);
    }

    /** Parses {@code "WxH"} (also {@code "W,H"} or a single {@code "S"} for a square), as {@code --image-size} takes it. */
    public static int[] parseImageSize(String text) {
        String[] parts = text.strip().toLowerCase(java.util.Locale.ROOT).split("[x,×]", -1);
        try {
            int w = Integer.parseInt(parts[0].strip());
            int h = parts.length == 1 ? w : Integer.parseInt(parts[1].strip());
            if (parts.length <= 2 && w >= 1 && h >= 1 && w <= 4096 && h <= 4096) return new int[]{w, h};
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("image size '" + text + "' is not WIDTHxHEIGHT with sides from 1 to 4096 (e.g. 32x32)");
    }
}
