package dev.nabla.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CSV reader has no sizes to check in advance, so what one line can make it allocate is bounded instead: a field of
 * over {@value CsvParser#MAX_FIELD_CHARS} characters (a file that is not CSV, a quote never closed) and a row of over
 * {@value CsvParser#MAX_FIELDS} values are errors naming the file and line, and a table too large for the heap is
 * refused before the allocation that would run out of memory.
 */
class CsvLimitsTest {

    @TempDir
    Path dir;

    @Test
    void aFieldLongerThanTheLimitIsAnError() throws IOException {
        for (String quote : new String[]{"", "\""}) {
            Path f = dir.resolve("long" + quote.length() + ".csv");
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                w.write("a,label\n1,x\n" + quote);
                char[] chunk = new char[1 << 16];
                java.util.Arrays.fill(chunk, 'z');
                for (long n = 0; n <= CsvParser.MAX_FIELD_CHARS; n += chunk.length) w.write(chunk);
            }
            DataException e = assertThrows(DataException.class, () -> CsvLoader.loadRaw(f, null, null));
            assertEquals(f + " line 3: a field longer than 10000000 characters (is this a CSV file?)", e.getMessage());
        }
    }

    @Test
    void aRowOfMoreThanAMillionValuesIsAnError() throws IOException {
        Path f = dir.resolve("wide.csv");
        Files.writeString(f, "a,label\n" + ",".repeat(CsvParser.MAX_FIELDS) + "\n");
        DataException e = assertThrows(DataException.class, () -> CsvLoader.loadRaw(f, null, null));
        assertEquals(f + " line 2: more than 1000000 values in one row", e.getMessage());
    }

    @Test
    void aWideHeaderDoesNotAllocateSixtyFourRowsOfIt() throws IOException {
        // 200,000 columns: 64 rows of room would be 51 MB before the first row; the table has one row
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) sb.append('c').append(i).append(',');
        sb.append("label\n").append("1,".repeat(200_000)).append("x\n").append("2,".repeat(200_000)).append("y\n");
        Path f = Files.writeString(dir.resolve("header.csv"), sb);
        LoadedData d = CsvLoader.loadRaw(f, null, null);
        assertEquals(2, d.size());
        assertEquals(200_000, d.x().shape(1));
    }

    @Test
    void dataBeyondTheHeapIsRefusedBeforeAllocating() {
        long max = Runtime.getRuntime().maxMemory();
        DataException e = assertThrows(DataException.class, () -> HeapLimit.check("t.csv", max + 1, "its values"));
        assertTrue(e.getMessage().startsWith("t.csv: its values need about "), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
