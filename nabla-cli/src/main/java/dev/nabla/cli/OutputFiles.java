package dev.nabla.cli;

import dev.nabla.io.ModelArchive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * What an output path may be, checked before any work starts: a new file, or one that is safe to replace. Saving
 * renames a finished temporary file over the path, which would replace a device ({@code /dev/full} as root), a FIFO,
 * a symbolic link (not the file it points to) or someone's unrelated file as readily as an old model.
 */
final class OutputFiles {

    private OutputFiles() {
    }

    /** Refuses (exit 2) an output that is a folder, a device, FIFO or socket, or a symbolic link. */
    static void checkReplaceable(Path file, String flag) {
        if (Files.isSymbolicLink(file)) {
            throw new UsageException(flag + " " + file + ": is a symbolic link (saving would replace the link, not the file it"
                    + " points to); give the file itself");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw new UsageException(flag + " " + file + ": is not a regular file (a device, FIFO or socket), which saving"
                    + " would replace");
        }
    }

    /** Refuses an existing {@code --out} that is not a Nabla model file, unless {@code force}. */
    static void checkModelOut(Path out, boolean force) {
        checkReplaceable(out, "--out");
        if (force || !Files.isRegularFile(out) || isModelFile(out)) return;
        throw new UsageException("--out " + out + ": exists and is not a Nabla model file; choose another name, or --force to"
                + " replace it");
    }

    /** Whether {@code file} is a zip holding a Nabla manifest (its central directory only is read). */
    static boolean isModelFile(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(ModelArchive.MANIFEST) != null;
        } catch (IOException | RuntimeException notAZip) {
            return false;
        }
    }
}
