package dev.nabla.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Temporary files of saves: gone when the JVM is stopped mid-save, and leftovers of killed processes cleaned up. */
class TempFilesTest {

    @TempDir
    Path dir;

    /** A process that starts saving {@code args[0]} and waits inside the save, its temporary file written. */
    public static final class Saver {
        public static void main(String[] args) throws Exception {
            ModelArchive.write(Path.of(args[0]), Map.of("weights.safetensors", new byte[1 << 20]), temp -> {
                System.out.println("saving " + temp);
                System.out.flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void aSaveStoppedBySigtermLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("model.nabla");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Saver.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("saving "), "the saver said: " + line);
            Path temp = Path.of(line.substring("saving ".length()));
            assertTrue(Files.exists(temp), "the temporary file exists while saving");
            p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: shutdown hooks run, no Java exception reaches the saving thread
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the saver stops");
            assertFalse(Files.exists(temp), "the temporary file is deleted when the JVM stops");
            assertFalse(Files.exists(target), "no model file from a save that did not finish");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theNextSaveRemovesStaleLeftoversOfTheSameName() throws Exception {
        Path target = dir.resolve("model.nabla");
        Path stale = Files.write(dir.resolve(".model.nabla.1f2e3d.tmp"), new byte[10]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(TempFiles.STALE).minusSeconds(60)));
        Path fresh = Files.write(dir.resolve(".model.nabla.abcdef.tmp"), new byte[10]); // perhaps another save now
        Path other = Files.write(dir.resolve(".other.nabla.1f2e3d.tmp"), new byte[10]);
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(TempFiles.STALE).minusSeconds(60)));
        ModelArchive.write(target, Map.of("weights.safetensors", new byte[4]));
        assertFalse(Files.exists(stale), "a leftover of a killed save of this model is removed");
        assertTrue(Files.exists(fresh), "a recent one may be a save in progress: kept");
        assertTrue(Files.exists(other), "another model's leftovers are that model's business");
        assertTrue(Files.exists(target));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(".model.nabla.abcdef.tmp", ".other.nabla.1f2e3d.tmp", "model.nabla"),
                    s.map(x -> x.getFileName().toString()).sorted().toList());
        }
    }
}
