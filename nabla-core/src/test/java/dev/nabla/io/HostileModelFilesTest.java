package dev.nabla.io;

import dev.nabla.nn.Dense;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files built to exhaust memory (entries small on disk that inflate to gigabytes, sizes claimed past what the
 * network needs, directories of thousands of entries) are refused from their manifest, before anything large is
 * inflated or allocated, naming the file and the entry; damaged contents are refused naming the file and the field.
 * Each case runs in well under a second under the test JVM's 2 GB heap: one that inflated its entry would take
 * seconds and run out of memory.
 */
class HostileModelFilesTest {

    private static final String ZERO_SHA = "0".repeat(64);

    @TempDir
    Path dir;

    private Model small() {
        Sequential net = new Sequential(new Normalization(new float[]{1, 2, 3}, new float[]{1, 0.5f, 2}), new Dense(2)).seed(3);
        net.build(3);
        return new Model(net);
    }

    private Map<String, byte[]> savedEntries() throws IOException {
        Path f = dir.resolve("source.nabla");
        ModelFile.save(small(), f);
        return ModelArchive.read(f);
    }

    /** A model file of {@code entries} (true sizes and checksums) plus raw zip entries the manifest lists as given. */
    private Path hostile(String name, Map<String, byte[]> entries, Map<String, Long> extraListed, RawZip extra)
            throws IOException {
        Map<String, Object> listed = new LinkedHashMap<>();
        for (var e : entries.entrySet()) {
            listed.put(e.getKey(), Map.of("size", (long) e.getValue().length,
                    "sha256", java.util.HexFormat.of().formatHex(ModelArchive.sha256Bytes(e.getValue()))));
        }
        for (var e : extraListed.entrySet()) listed.put(e.getKey(), Map.of("size", e.getValue(), "sha256", ZERO_SHA));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "nabla-model");
        manifest.put("format_version", 2);
        manifest.put("entries", listed);
        RawZip zip = new RawZip().stored("manifest.json", Json.write(manifest).getBytes(StandardCharsets.UTF_8));
        for (var e : entries.entrySet()) zip.stored(e.getKey(), e.getValue());
        zip.append(extra);
        Path f = dir.resolve(name);
        zip.write(f);
        return f;
    }

    private static ModelFormatException refused(Path f, long maxMillis) {
        long t0 = System.nanoTime();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(f));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < maxMillis, "refused in " + ms + " ms: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void anUnusedGigabyteEntryOfZerosIsNeverInflated() throws IOException {
        Path f = hostile("unused.nabla", savedEntries(), Map.of("junk.bin", 2047L << 20), new RawZip().zeros("junk.bin", 2047));
        assertTrue(Files.size(f) < 4 << 20, "small on disk: " + Files.size(f));
        String m = refused(f, 2000).getMessage();
        assertTrue(m.contains("entry 'junk.bin' is not part of a Nabla model"), m);
    }

    @Test
    void weightsListedPastWhatTheNetworkNeedsAreRefusedUnread() throws IOException {
        Map<String, byte[]> entries = savedEntries();
        entries.remove("weights.safetensors");
        Path f = hostile("big-weights.nabla", entries, Map.of("weights.safetensors", 64L << 20),
                new RawZip().zeros("weights.safetensors", 64));
        String m = refused(f, 2000).getMessage();
        assertTrue(m.contains("entry 'weights.safetensors' is listed as 67108864 bytes, more than the")
                && m.contains("the network's weights and buffers (4 tensors) need"), m);
    }

    @Test
    void weightsTooLargeForTheHeapAreRefusedBeforeTheNetworkIsBuilt() throws IOException {
        Map<String, byte[]> entries = savedEntries();
        entries.remove("weights.safetensors");
        Path f = hostile("heap.nabla", entries, Map.of("weights.safetensors", 2047L << 20),
                new RawZip().zeros("weights.safetensors", 2047));
        String m = refused(f, 2000).getMessage();
        assertTrue(m.contains("entry 'weights.safetensors' is listed as 2047 MiB") && m.contains("-Xmx"), m);
    }

    @Test
    void jsonEntriesAreCapped() throws IOException {
        Map<String, byte[]> entries = savedEntries();
        entries.remove("model.json");
        Path f = hostile("json.nabla", entries, Map.of("model.json", 64L << 20), new RawZip().zeros("model.json", 64));
        String m = refused(f, 2000).getMessage();
        assertTrue(m.contains("entry 'model.json' is listed as 67108864 bytes, more than the 16777216 bytes"), m);
    }

    @Test
    void aDirectoryOfThousandsOfEntriesIsRefused() throws IOException {
        RawZip many = new RawZip();
        Map<String, Long> listed = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            many.stored("e" + i, new byte[0]);
            listed.put("e" + i, 0L);
        }
        Path f = hostile("many.nabla", savedEntries(), listed, many);
        String m = refused(f, 2000).getMessage();
        assertTrue(m.contains("it has 3003 zip entries; a model file has at most 1024"), m);
    }

    @Test
    void safetensorsErrorsNameTheFileTheEntryAndTheTensor() throws IOException {
        Map<String, byte[]> entries = savedEntries();
        byte[] w = entries.get("weights.safetensors");
        String text = new String(w, StandardCharsets.ISO_8859_1);
        // same length, so every offset stays right: only the dtype of one tensor changes
        entries.put("weights.safetensors", text.replaceFirst("\"F32\"", "\"F16\"").getBytes(StandardCharsets.ISO_8859_1));
        Path f = dir.resolve("dtype.nabla");
        ModelArchive.write(f, entries);
        String m = refused(f, 2000).getMessage();
        assertTrue(m.startsWith(f + ": weights.safetensors: tensor '") && m.contains("has dtype F16"), m);
    }

    @Test
    void aZeroOrNanDeviationInANormalizationLayerIsRefusedAtLoad() throws IOException {
        for (float bad : new float[]{0, -1, Float.NaN}) {
            Model model = small();
            model.network().namedBuffers().get("0.std").data()[1] = bad;
            Path f = dir.resolve("std" + bad + ".nabla");
            // NaN is already refused as a non-finite weight; 0 and -1 by the layer's own check
            ModelFile.save(model, f);
            String m = refused(f, 2000).getMessage();
            assertTrue(m.contains("'0.std'") || m.contains("layer '0': buffer 'std' holds " + bad + " at element 1"), m);
        }
    }

    @Test
    void aZeroTargetDeviationIsRefusedAtLoadNamingTheField() throws IOException {
        Map<String, byte[]> entries = savedEntries();
        Map<String, Object> json = Json.asObject(Json.parse(new String(entries.get("model.json"), StandardCharsets.UTF_8)), "m");
        json.put("target_scaling", Map.of("mean", 3.0, "std", 0.0));
        entries.put("model.json", Json.write(json).getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("target.nabla");
        ModelArchive.write(f, entries);
        String m = refused(f, 2000).getMessage();
        assertTrue(m.contains("target_scaling needs a finite mean and a positive std, got mean 3.0 and std 0.0"), m);
    }

    @Test
    void aFullDiskWhileSavingNamesTheFileAndLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("full.nabla");
        ModelArchive.write(f, Map.of("old", new byte[]{7}));
        byte[] before = Files.readAllBytes(f);
        Map<String, byte[]> entries = Map.of("w", new byte[300_000]);
        IOException e = assertThrows(IOException.class, () -> ModelArchive.write(f, entries, out -> new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000) throw new IOException("No space left on device");
                out.write(b, off, len);
            }
        }, temp -> { }));
        assertTrue(e.getMessage().startsWith("cannot save " + f + ": No space left on device"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aValidModelStillLoadsBitForBit() throws IOException {
        Model model = small();
        Path f = dir.resolve("ok.nabla");
        ModelFile.save(model, f);
        Model again = ModelFile.load(f);
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(model.predict(x).toArray(), again.predict(x).toArray());
    }
}
