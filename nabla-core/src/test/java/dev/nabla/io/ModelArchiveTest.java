package dev.nabla.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class ModelArchiveTest {

    @TempDir
    Path dir;

    private static Map<String, byte[]> sample() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("config.json", "{\"layers\": 3}".getBytes(StandardCharsets.UTF_8));
        byte[] weights = new byte[10_000];
        new SplittableRandom(1).nextBytes(weights);
        m.put("weights.safetensors", weights);
        m.put("empty", new byte[0]);
        m.put("sub/dir/é name.bin", new byte[]{1, 2, 3});
        return m;
    }

    private static void assertSameEntries(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), actual.get(k), k);
    }

    private ModelFormatException rejected(Path file) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void roundTripKeepsNamesOrderAndBytes() throws Exception {
        Path f = dir.resolve("model.nabla");
        Map<String, byte[]> entries = sample();
        ModelArchive.write(f, entries);
        assertSameEntries(entries, ModelArchive.read(f));
        assertEquals(List.of(f), listDir(), "no temporary file left behind");
    }

    @Test
    void fileIsAPlainZipWithTheManifestFirst() throws Exception {
        Path f = dir.resolve("model.nabla");
        ModelArchive.write(f, sample());
        try (ZipFile z = new ZipFile(f.toFile())) {
            List<? extends ZipEntry> list = java.util.Collections.list(z.entries());
            assertEquals("manifest.json", list.get(0).getName());
            assertEquals(List.of("manifest.json", "config.json", "weights.safetensors", "empty", "sub/dir/é name.bin"),
                    list.stream().map(ZipEntry::getName).toList());
            Map<String, Object> manifest = Json.asObject(Json.parse(
                    new String(z.getInputStream(list.get(0)).readAllBytes(), StandardCharsets.UTF_8)), "manifest");
            assertEquals("nabla-model", manifest.get("format"));
            assertEquals((long) ModelArchive.FORMAT_VERSION, manifest.get("format_version"));
            Map<String, Object> e = Json.asObject(Json.asObject(manifest.get("entries"), "entries").get("config.json"), "e");
            assertEquals(13L, e.get("size"));
            // sha256("{\"layers\": 3}") computed independently of ModelArchive
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest("{\"layers\": 3}".getBytes(StandardCharsets.UTF_8))), e.get("sha256"));
        }
    }

    @Test
    void sameEntriesGiveTheSameBytes() throws Exception {
        Path a = dir.resolve("a.nabla");
        Path b = dir.resolve("b.nabla");
        ModelArchive.write(a, sample());
        ModelArchive.write(b, sample());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (ZipFile z = new ZipFile(a.toFile())) {
            // no wall-clock time recorded, so writing later gives the same bytes too
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                assertEquals(java.time.LocalDateTime.of(2000, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
                assertNull(e.getExtra(), "no extended timestamp field (it would depend on the time zone)");
            }
        }
    }

    @Test
    void overwritesAnExistingModel() throws Exception {
        Path f = dir.resolve("model.nabla");
        ModelArchive.write(f, Map.of("a", new byte[]{1}));
        ModelArchive.write(f, Map.of("b", new byte[]{2}));
        assertSameEntries(Map.of("b", new byte[]{2}), ModelArchive.read(f));
        assertEquals(List.of(f), listDir());
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("model.nabla");
        ModelArchive.write(f, Map.of("old", new byte[]{1}));
        byte[] before = Files.readAllBytes(f);
        List<Path> seen = new ArrayList<>();
        IOException boom = assertThrows(IOException.class, () -> ModelArchive.write(f, sample(), temp -> {
            seen.add(temp);
            assertEquals(dir, temp.getParent(), "temporary file next to the target");
            assertTrue(Files.size(temp) > 10_000, "fully written before the commit step");
            throw new IOException("disk on fire");
        }));
        assertTrue(boom.getMessage().startsWith("cannot save " + f + ": disk on fire"), boom.getMessage());
        assertEquals(1, seen.size());
        assertFalse(Files.exists(seen.get(0)), "temporary file deleted");
        assertArrayEquals(before, Files.readAllBytes(f), "old model untouched");
        assertEquals(List.of(f), listDir());

        // unchecked failures too
        assertThrows(IllegalStateException.class, () -> ModelArchive.write(f, sample(), temp -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of(f), listDir());
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void failedWriteWithoutAnOldFileLeavesNothing() throws Exception {
        Path f = dir.resolve("new.nabla");
        assertThrows(IOException.class, () -> ModelArchive.write(f, sample(), temp -> {
            throw new IOException("crash");
        }));
        assertEquals(List.of(), listDir());
    }

    @Test
    void writeOntoADirectoryFailsCleanly() throws Exception {
        Path d = Files.createDirectory(dir.resolve("model.nabla"));
        Files.writeString(d.resolve("keep"), "x");
        assertThrows(IOException.class, () -> ModelArchive.write(d, sample()));
        assertEquals(List.of(d), listDir());
        assertEquals("x", Files.readString(d.resolve("keep")));
        assertThrows(IOException.class, () -> ModelArchive.write(dir.resolve("missing/dir/m.nabla"), sample()));
    }

    @Test
    void invalidEntryNamesAreRefusedBeforeWriting() {
        Path f = dir.resolve("m.nabla");
        for (String bad : new String[]{"", "manifest.json", "/abs", "a/../b", "..", "./a", "a//b", "a/", "a\\b", "tab\there"}) {
            assertThrows(IllegalArgumentException.class, () -> ModelArchive.write(f, Map.of(bad, new byte[1])), bad);
        }
        Map<String, byte[]> nullBytes = new LinkedHashMap<>();
        nullBytes.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> ModelArchive.write(f, nullBytes));
        assertFalse(Files.exists(f));
    }

    @Test
    void missingFileIsAPlainIoError() {
        IOException e = assertThrows(IOException.class, () -> ModelArchive.read(dir.resolve("nope.nabla")));
        assertInstanceOf(NoSuchFileException.class, e);
    }

    @Test
    void nonZipFilesAreNotNablaModels() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, I am not a model");
        assertTrue(rejected(text).getMessage().contains("is not a Nabla model file"));
        Path empty = dir.resolve("empty.nabla");
        Files.write(empty, new byte[0]);
        assertTrue(rejected(empty).getMessage().contains("is not a Nabla model file"));
        Path st = dir.resolve("w.safetensors");
        Files.write(st, SafeTensors.write(Map.of(), null));
        assertTrue(rejected(st).getMessage().contains("is not a Nabla model file"));
    }

    @Test
    void otherZipFilesAreNotNablaModels() throws Exception {
        Path plain = dir.resolve("plain.zip");
        writeZip(plain, Map.of("readme.txt", "hi"));
        assertTrue(rejected(plain).getMessage().contains("is not a Nabla model file (it has no manifest.json)"));
        Path other = dir.resolve("other.zip");
        writeZip(other, Map.of("manifest.json", "{\"format\": \"something-else\", \"format_version\": 1, \"entries\": {}}"));
        assertTrue(rejected(other).getMessage().contains("is not a Nabla model file"));
        Path notJson = dir.resolve("bad.zip");
        writeZip(notJson, Map.of("manifest.json", "format=nabla-model"));
        assertTrue(rejected(notJson).getMessage().contains("is not a Nabla model file"));
    }

    @Test
    void newerFormatVersionsAskForANewerNabla() throws Exception {
        Path f = dir.resolve("future.nabla");
        writeZip(f, Map.of("manifest.json", "{\"format\": \"nabla-model\", \"format_version\": 7, \"entries\": {}}"));
        assertEquals(f + " was written by a newer Nabla (model format version 7); this Nabla reads format version 2."
                + " Upgrade Nabla to load it.", rejected(f).getMessage());
        Path zero = dir.resolve("zero.nabla");
        writeZip(zero, Map.of("manifest.json", "{\"format\": \"nabla-model\", \"format_version\": 0, \"entries\": {}}"));
        assertTrue(rejected(zero).getMessage().contains("version 0"));
    }

    @Test
    void truncatedFilesAreRejectedAtEveryLength() throws Exception {
        Path f = dir.resolve("model.nabla");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
        entries.put("weights", new byte[300]);
        ModelArchive.write(f, entries);
        byte[] full = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.nabla");
        // every length through the first headers, then a stride through the rest, and the last 40 (central directory)
        for (int len = 0; len < full.length; len = len < 64 || len >= full.length - 40 ? len + 1 : len + 7) {
            Files.write(cut, Arrays.copyOf(full, len));
            ModelFormatException e = rejected(cut);
            if (len >= 4) {
                assertTrue(e.getMessage().contains("truncated or damaged"), len + ": " + e.getMessage());
            }
        }
    }

    @Test
    void everyFlippedByteIsDetectedOrHarmless() throws Exception {
        Path f = dir.resolve("model.nabla");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("config.json", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
        entries.put("weights", new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        ModelArchive.write(f, entries);
        byte[] full = Files.readAllBytes(f);
        Path bad = dir.resolve("bad.nabla");
        for (int i = 0; i < full.length; i++) {
            byte[] b = full.clone();
            b[i] ^= 0x5a;
            Files.write(bad, b);
            try {
                // some header bytes (timestamps, version-made-by) do not matter; the contents must then be intact
                assertSameEntries(entries, ModelArchive.read(bad));
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            }
        }
    }

    @Test
    void flippedByteInAnEntryIsAChecksumMismatch() throws Exception {
        Path f = dir.resolve("model.nabla");
        byte[] payload = "THE-WEIGHTS-PAYLOAD".getBytes(StandardCharsets.US_ASCII);
        ModelArchive.write(f, Map.of("weights", payload));
        byte[] b = Files.readAllBytes(f);
        int at = indexOf(b, payload);
        b[at + 3] ^= 1;
        Files.write(f, b);
        assertTrue(rejected(f).getMessage().contains("is corrupt: checksum mismatch in entry 'weights'"));
    }

    @Test
    void checksumMismatchEvenWhenTheZipCrcIsConsistent() throws Exception {
        // a tool that rewrote the entry (valid zip, correct CRC) but not the manifest: SHA-256 catches it
        Path f = dir.resolve("model.nabla");
        String manifest = "{\"format\": \"nabla-model\", \"format_version\": 1, \"entries\": {\"w\": {\"size\": 3, "
                + "\"sha256\": \"" + "0".repeat(64) + "\"}}}";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("manifest.json", manifest);
        m.put("w", "abc");
        writeZip(f, m);
        assertEquals(f + " is corrupt: checksum mismatch in entry 'w' (SHA-256 differs from the manifest)",
                rejected(f).getMessage());
    }

    @Test
    void manifestAndZipMustAgree() throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("abc".getBytes(StandardCharsets.UTF_8)));
        String head = "{\"format\": \"nabla-model\", \"format_version\": 1, \"entries\": ";

        Path missing = dir.resolve("missing.nabla");
        writeZip(missing, Map.of("manifest.json", head + "{\"w\": {\"size\": 3, \"sha256\": \"" + sha + "\"}}}"));
        assertTrue(rejected(missing).getMessage().contains("entry 'w' listed in the manifest is missing"));

        Path extra = dir.resolve("extra.nabla");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("manifest.json", head + "{}}");
        m.put("smuggled.class", "abc");
        writeZip(extra, m);
        assertTrue(rejected(extra).getMessage().contains("'smuggled.class' is not listed"));

        Path size = dir.resolve("size.nabla");
        m = new LinkedHashMap<>();
        m.put("manifest.json", head + "{\"w\": {\"size\": 2, \"sha256\": \"" + sha + "\"}}}");
        m.put("w", "abc");
        writeZip(size, m);
        assertTrue(rejected(size).getMessage().contains("the manifest says 2"));

        Path hugeSize = dir.resolve("huge.nabla");
        m = new LinkedHashMap<>();
        m.put("manifest.json", head + "{\"w\": {\"size\": 99999999999, \"sha256\": \"" + sha + "\"}}}");
        m.put("w", "abc");
        writeZip(hugeSize, m);
        assertTrue(rejected(hugeSize).getMessage().contains("is corrupt"));

        Path badSha = dir.resolve("badsha.nabla");
        m = new LinkedHashMap<>();
        m.put("manifest.json", head + "{\"w\": {\"size\": 3, \"sha256\": \"xyz\"}}}");
        m.put("w", "abc");
        writeZip(badSha, m);
        assertTrue(rejected(badSha).getMessage().contains("64 hex digits"));

        Path ok = dir.resolve("ok.nabla");
        m = new LinkedHashMap<>();
        m.put("manifest.json", head + "{\"w\": {\"size\": 3, \"sha256\": \"" + sha.toUpperCase() + "\"}}}");
        m.put("w", "abc");
        writeZip(ok, m);
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), ModelArchive.read(ok).get("w"), "deflated, uppercase hex ok");
    }

    @Test
    void aZipBombEntryIsCutOffAtTheListedSize() throws Exception {
        // 16 MB of zeros deflates to ~16 KB; the manifest claims 10 bytes: reading must stop at 11
        Path f = dir.resolve("bomb.nabla");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(("{\"format\": \"nabla-model\", \"format_version\": 1, \"entries\": {\"w\": {\"size\": 10, \"sha256\": \""
                    + "0".repeat(64) + "\"}}}").getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("w"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) z.write(zeros);
        }
        assertTrue(rejected(f).getMessage().contains("has more than 10 bytes"));
    }

    private static void writeZip(Path f, Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.write(f, bytes.toByteArray());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("payload not found");
    }
}
