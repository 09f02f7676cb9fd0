package dev.nabla.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads texts from one column of a CSV file (header row required, RFC 4180 quoting, so texts may hold commas, quotes
 * and line breaks), with class labels from another column; all other columns are ignored. The file must be UTF-8.
 * Classes are the distinct labels, in numeric order when all are whole numbers, else in alphabetical order. A row's
 * text may be empty (it encodes to padding only), but a column with no text at all is an error.
 */
public final class TextCsvLoader {

    private TextCsvLoader() {
    }

    /**
     * Training texts.
     *
     * @param textColumn  the text column's name
     * @param labelColumn the label column's name; null for the last column that is not the text column
     */
    public static TextSamples load(Path csv, String textColumn, String labelColumn) throws IOException {
        Table t = read(csv, textColumn, labelColumn, true);
        TreeSet<String> distinct = new TreeSet<>(t.labels);
        List<String> classes = new ArrayList<>(distinct);
        if (classes.stream().allMatch(TextCsvLoader::isWhole)) classes.sort((a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)));
        if (classes.size() < 2) {
            throw new DataException(csv + ": the label column '" + t.labelName + "' has only one class ('" + classes.get(0)
                    + "'); at least 2 classes are needed");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) index.put(classes.get(k), k);
        int[] y = t.labels.stream().mapToInt(index::get).toArray();
        Preprocessing p = new Preprocessing("text", Task.CLASSIFICATION, List.copyOf(classes), List.of(t.textName), t.labelName,
                null, null, 0, 1, null);
        return new TextSamples(t.texts, y, t.sources, p);
    }

    /**
     * Texts for a trained model: the text column it was trained on ({@link Preprocessing#featureNames}), labels (when
     * {@code requireLabels}) from its label column mapped to its classes; a label it does not know is an error.
     */
    public static TextSamples loadWith(Path csv, Preprocessing fitted, boolean requireLabels) throws IOException {
        if (fitted.featureNames().size() != 1) {
            throw new DataException(csv + ": the model was trained on a folder of .txt files, not on a CSV text column;"
                    + " give a folder with one sub-folder of .txt files per class");
        }
        Table t = read(csv, fitted.featureNames().get(0), requireLabels ? fitted.labelName() : null, requireLabels);
        if (!requireLabels) return new TextSamples(t.texts, null, t.sources, fitted);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < fitted.classes().size(); k++) index.put(fitted.classes().get(k), k);
        int[] y = new int[t.labels.size()];
        for (int i = 0; i < y.length; i++) {
            Integer k = index.get(t.labels.get(i));
            if (k == null) {
                throw new DataException(csv + " " + t.sources.get(i) + ", column '" + t.labelName + "': the model does not know the class '"
                        + t.labels.get(i) + "' (its classes: " + String.join(", ", fitted.classes()) + ")");
            }
            y[i] = k;
        }
        return new TextSamples(t.texts, y, t.sources, fitted);
    }

    private record Table(List<String> texts, List<String> labels, List<String> sources, String textName, String labelName) {
    }

    private static Table read(Path csv, String textColumn, String labelColumn, boolean withLabels) throws IOException {
        if (Files.isDirectory(csv)) throw new DataException(csv + ": is a folder, not a CSV file");
        if (!Files.isRegularFile(csv)) throw new DataException(csv + ": no such file");
        String file = csv.toString();
        try (CsvParser parser = new CsvParser(TextFiles.reader(Files.newInputStream(csv)), file)) {
            List<String> header = new ArrayList<>();
            if (!parser.next(header)) throw new DataException(file + ": the file is empty (expected a header row with column names)");
            for (int c = 0; c < header.size(); c++) header.set(c, header.get(c).strip());
            int text = column(header, textColumn, file, "text");
            int label = -1;
            if (withLabels) {
                if (labelColumn != null) {
                    label = column(header, labelColumn, file, "label");
                } else {
                    for (int c = header.size() - 1; c >= 0 && label < 0; c--) if (c != text) label = c;
                    if (label < 0) throw new DataException(file + ": the only column is the text column '" + header.get(text) + "'; there is no label column");
                }
                if (label == text) throw new DataException(file + ": the column '" + header.get(text) + "' cannot be both the text and the label");
            }
            List<String> texts = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            boolean anyText = false;
            int row = 0;
            try {
                while (parser.next(fields)) {
                    if (fields.size() == 1 && fields.get(0).isBlank() && header.size() > 1) continue;
                    row++;
                    int line = parser.recordLine();
                    if (fields.size() != header.size()) {
                        throw new DataException(file + " line " + line + ": " + fields.size() + " values, but the header has "
                                + header.size() + " columns");
                    }
                    String value = fields.get(text);
                    anyText |= !value.isBlank();
                    texts.add(value);
                    sources.add("row " + row);
                    if (label >= 0) {
                        String l = fields.get(label).strip();
                        if (l.isEmpty()) throw new DataException(file + " line " + line + ", column '" + header.get(label) + "': the label is empty");
                        labels.add(l);
                    }
                }
            } catch (CharacterCodingException e) {
                throw new DataException(file + ": is not UTF-8 text (near line " + Math.max(1, parser.recordLine()) + "); save it as UTF-8");
            }
            if (texts.isEmpty()) throw new DataException(file + ": no data rows after the header");
            if (!anyText) throw new DataException(file + ": the text column '" + header.get(text) + "' is empty in every row");
            return new Table(texts, labels, sources, header.get(text), label < 0 ? null : header.get(label));
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": is not UTF-8 text (in the header row); save it as UTF-8");
        }
    }

    private static int column(List<String> header, String name, String file, String what) throws DataException {
        int i = header.indexOf(name.strip());
        if (i >= 0) return i;
        for (int c = 0; c < header.size(); c++) if (header.get(c).equalsIgnoreCase(name.strip())) return c;
        throw new DataException(file + ": no " + what + " column '" + name + "' (columns: " + String.join(", ", header) + ")");
    }

    private static boolean isWhole(String s) {
        return s.matches("-?\\d{1,30}");
    }
}
