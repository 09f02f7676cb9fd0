package dev.nabla.data;

import java.util.List;
import java.util.Map;

/**
 * How one CSV feature column becomes model inputs, fitted on the training rows and saved in the model (see
 * {@link TableColumns}): a number (missing cells imputed), a one-hot vector, or hashed buckets. Each takes the raw
 * text of a cell, as the CSV file holds it, so anything that has the cells (predict, a server) encodes them exactly
 * as training did. A new kind is one class and one {@link TableColumns#register} call.
 */
public interface ColumnEncoder {

    /** The CSV column it reads. */
    String column();

    /** How many model inputs it gives. */
    int width();

    /** A name for each of its inputs, e.g. {@code color=red}. */
    List<String> outputNames();

    /**
     * Writes the inputs for one cell into {@code out[offset, offset + width())}. A missing cell (see
     * {@link MissingValues}) is imputed; a category not seen in training is handled (never an error).
     *
     * @throws IllegalArgumentException when the cell cannot be encoded (a word in a numeric column), saying why
     */
    void encode(String cell, float[] out, int offset);

    /**
     * {@link #encode} for a cell that arrived as a number (a server's FP32 row) rather than as text; NaN is a missing
     * cell. Equal to encoding the number's decimal text; numeric columns override it to skip that text.
     */
    default void encodeNumber(double value, float[] out, int offset) {
        encode(Double.isNaN(value) ? "NaN" : Double.toString(value), out, offset);
    }

    /** Its settings as JSON-friendly values for the model file, {@code "type"} first. */
    Map<String, Object> toMap();
}
