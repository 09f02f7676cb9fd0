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
