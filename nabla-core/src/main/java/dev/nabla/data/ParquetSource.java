package dev.nabla.data;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet file, read row group by row group with Apache's own reader (parquet-java), its pages decompressed in pure
 * Java ({@link ParquetCodecs}: Snappy, Zstandard, gzip, LZ4), with no Hadoop installation and no native code; the
 * Hadoop client API jar is only on the classpath for the types the reader's classes name.
 * Memory is one row group. Flat columns only: integers, floats and decimals are numbers, strings, booleans, dates and
 * the like are categories, nulls are missing cells. Before a row group is read its claimed sizes are checked against
 * the file and the heap, so a corrupt or truncated file is a {@link DataException}, never a huge allocation.
 */
public record ParquetSource(Path file) implements TableSource {

    /** Whether {@code path} is named like a Parquet file. */
    public static boolean accepts(Path path) {
        return path.getFileName() != null && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public String version() {
        return TableSource.fileVersion(file);
    }

    /** The row count its footer records. */
    @Override
    public long estimatedRows() throws IOException {
        try (TableRows rows = open()) {
            return ((Rows) rows).reader.getRecordCount();
        }
    }

    @Override
    public TableRows open() throws IOException {
        if (Files.isDirectory(file)) throw new DataException(file + ": is a folder; pass one Parquet file");
        if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration())
                    .withCodecFactory(new ParquetCodecs()).build());
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
        try {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<String> names = new ArrayList<>();
            for (Type t : schema.getFields()) {
                if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
                    throw new DataException(file + ": column '" + t.getName() + "' is nested or a list; only flat columns"
                            + " are read (select or flatten them first)");
                }
                names.add(t.getName());
            }
            checkSizes(reader, Files.size(file));
            return new Rows(reader, schema, TableRows.checkHeader(names, file.toString(), ""));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e instanceof DataException d ? d : corrupt(e);
        }
    }

    /** Every column chunk lies inside the file, and a row group's decoded pages fit in the heap. */
    private void checkSizes(ParquetFileReader reader, long fileSize) throws DataException {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
            long uncompressed = 0;
            for (ColumnChunkMetaData c : block.getColumns()) {
                long start = c.getStartingPos();
                long size = c.getTotalSize();
                if (start < 0 || size < 0 || start + size > fileSize || c.getTotalUncompressedSize() < 0) {
                    throw new DataException(file + ": not a valid Parquet file (column '" + c.getPath().toDotString()
                            + "' claims bytes past the end of the file; truncated or corrupt?)");
                }
                uncompressed += c.getTotalUncompressedSize();
            }
            if (block.getRowCount() < 0 || uncompressed > HeapLimit.maxHeap() / 4) {
                throw new DataException(file + ": a row group claims " + (uncompressed >> 20) + " MiB of data, more than"
                        + " this heap can hold (corrupt, or written with very large row groups; NABLA_JAVA_OPTS=-Xmx... gives more)");
            }
        }
    }

    private DataException corrupt(Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (why.length() > 200) why = why.substring(0, 197) + "...";
        return new DataException(file + ": not a valid Parquet file (" + why.replace('\n', ' ') + ")");
    }

    private final class Rows implements TableRows {
        private final ParquetFileReader reader;
        private final MessageType schema;
        private final List<String> header;
        private final PrimitiveType[] types;
        private RecordReader<Group> records;
        private long left;
        private int row;

        Rows(ParquetFileReader reader, MessageType schema, List<String> header) {
            this.reader = reader;
            this.schema = schema;
            this.header = header;
            this.types = new PrimitiveType[header.size()];
            for (int c = 0; c < types.length; c++) types[c] = schema.getType(c).asPrimitiveType();
        }

        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public boolean next(List<String> fields) throws IOException {
            try {
                while (left == 0) {
                    PageReadStore pages = reader.readNextRowGroup();
                    if (pages == null) return false;
                    left = pages.getRowCount();
                    records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
                }
                Group g = records.read();
                left--;
                row++;
                fields.clear();
                for (int c = 0; c < types.length; c++) fields.add(g.getFieldRepetitionCount(c) == 0 ? "" : cell(g, c));
                return true;
            } catch (DataException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // the reader's own errors (thrift, decoding, our page checks) for a damaged file
                String why = String.valueOf(e.getMessage()).replace('\n', ' ');
                throw new DataException(file + " row " + (row + 1) + ": not a valid Parquet file ("
                        + (why.length() > 200 ? why.substring(0, 197) + "..." : why) + ")");
            }
        }

        /**
         * The cell as a CSV file would spell it: plain integers and floats as numbers; decimals, unsigned integers,
         * dates and timestamps as Parquet's own stringifier writes them (12.345, 2024-01-02, 2024-01-02T03:04:05);
         * strings as they are.
         */
        private String cell(Group g, int c) {
            PrimitiveType t = types[c];
            boolean plain = t.getLogicalTypeAnnotation() == null;
            LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
            return switch (t.getPrimitiveTypeName()) {
                case INT32 -> plain || signedInt(logical) ? Integer.toString(g.getInteger(c, 0)) : t.stringifier().stringify(g.getInteger(c, 0));
                case INT64 -> plain || signedInt(logical) ? Long.toString(g.getLong(c, 0)) : t.stringifier().stringify(g.getLong(c, 0));
                case FLOAT -> Float.toString(g.getFloat(c, 0));
                case DOUBLE -> Double.toString(g.getDouble(c, 0));
                case BOOLEAN -> Boolean.toString(g.getBoolean(c, 0));
                case BINARY, FIXED_LEN_BYTE_ARRAY -> plain || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        ? g.getString(c, 0) : t.stringifier().stringify(g.getBinary(c, 0));
                case INT96 -> t.stringifier().stringify(g.getInt96(c, 0));
            };
        }

        private static boolean signedInt(LogicalTypeAnnotation logical) {
            return logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned();
        }

        @Override
        public int recordLine() {
            return row;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
