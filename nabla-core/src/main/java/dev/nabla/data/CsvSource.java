package dev.nabla.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A CSV file with a header row, read in the given encoding and delimiter (see {@link CsvParser}). */
public record CsvSource(Path file, CsvFormat format) implements TableSource {

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public String version() {
        return TableSource.fileVersion(file);
    }

    /** The file's size over the mean length of its first rows (at most {@value #SAMPLE_ROWS}). */
    @Override
    public long estimatedRows() throws IOException {
        long chars = 0;
        int rows = 0;
        try (TableRows r = open()) {
            List<String> fields = new ArrayList<>();
            while (rows < SAMPLE_ROWS && r.next(fields)) {
                for (String f : fields) chars += f.length() + 1;
                rows++;
            }
        }
        return rows == 0 ? 0 : Math.max(rows, (long) ((double) Files.size(file) * rows / Math.max(1, chars)));
    }

    private static final int SAMPLE_ROWS = 1000;

    @Override
    public TableRows open() throws IOException {
        if (Files.isDirectory(file)) throw new DataException(file + ": is a folder, not a CSV file");
        if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
        CsvParser parser = new CsvParser(Files.newInputStream(file), format.encoding(), format.delimiter(), file.toString());
        try {
            List<String> fields = new ArrayList<>();
            if (!parser.next(fields)) throw new DataException(file + ": the file is empty (expected a header row with column names)");
            int line = parser.recordLine();
            List<String> header = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int c = 0; c < fields.size(); c++) {
                String name = fields.get(c).strip();
                if (name.isEmpty()) {
                    throw new DataException(file + " line " + line + ": column " + (c + 1) + " of the header has no name"
                            + " (the first row must name every column)");
                }
                if (!seen.add(name)) throw new DataException(file + " line " + line + ": the header names column '" + name + "' twice");
                header.add(name);
            }
            return new Rows(parser, List.copyOf(header));
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    private record Rows(CsvParser parser, List<String> header) implements TableRows {
        @Override
        public boolean next(List<String> fields) throws IOException {
            while (parser.next(fields)) {
                // blank lines are no rows
                if (!(fields.size() == 1 && fields.get(0).isBlank())) return true;
            }
            return false;
        }

        @Override
        public int recordLine() {
            return parser.recordLine();
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
