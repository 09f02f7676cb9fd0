package dev.nabla.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A Nabla model file: one file holding named byte entries, each checked on load.
 *
 * <p>The file is an ordinary ZIP archive (so {@code unzip -l model.nabla} shows what is inside) whose first entry is
 * {@value #MANIFEST}:
 * <pre>{@code
 * {"format": "nabla-model", "format_version": 1,
 *  "entries": {"weights.safetensors": {"size": 1234, "sha256": "9f86d0..."}, ...}}
 * }</pre>
 * followed by the entries in the order given, stored uncompressed (weights barely compress, and stored entries could
 * later be memory-mapped) with fixed timestamps, so the same entries always give the same bytes.
 *
 * <p>{@link #write} never leaves a half-written model behind: it writes a hidden temporary file next to the target,
 * forces it to disk, then renames it over the target in one step; on failure it deletes the temporary file and the
 * previous model, if any, is untouched; a JVM stopped by a signal while saving deletes it too, and the leftovers of
 * a killed process are removed by the next save to the same name (see {@link TempFiles}).
 *
 * <p>Reading trusts nothing in the file: it needs the manifest, the format name, a supported format version,
 * and every listed entry present with the listed size, SHA-256 and zip CRC-32, and nothing unlisted; sizes in zip
 * headers are never used to allocate. {@link #open} checks the directory and manifest only (at most
 * {@value ArchiveEntries#MAX_ENTRIES} entries) and lets the reader inflate just the entries it knows, each bounded by
 * what the format implies ({@link ArchiveEntries#read}); {@link #read} inflates every listed entry. Any problem is a {@link ModelFormatException} whose message starts with the
 * file path, e.g. {@code "m.nabla is corrupt: checksum mismatch in entry weights.safetensors (SHA-256 ...)"}.
 * Plain I/O errors (no such file, permission denied) stay ordinary {@link IOException}s.
 *
 * <p>Entries are bytes, never Java objects: loading a model cannot run code.
 */
public final class ModelArchive {

    /** Name of the manifest entry. */
    public static final String MANIFEST = "manifest.json";

    /** The {@code format} value that marks a Nabla model. */
    public static final String FORMAT = "nabla-model";

    /**
     * The format version this class writes, and the newest it reads. Version 2 (typed configurations, graph models)
     * changed only what {@code model.json} holds; the archive itself is the same, and version 1 files still load.
     */
    public static final int FORMAT_VERSION = 2;

    /** A verified file: its format version and entries in manifest order (without the manifest). */
    public record Contents(int formatVersion, Map<String, byte[]> entries) {
    }

    /** Largest entry accepted (a Java array's limit, about 2 GiB). */
    public static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;

    // a constant makes output reproducible. Not 1980-01-01 00:00, the earliest DOS time: the JDK treats that value as
    // "before 1980" and adds an extended timestamp computed in the system time zone, which varies between machines
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private ModelArchive() {
    }

    /** A step run on the finished temporary file just before it replaces the target; lets tests inject failures. */
    @FunctionalInterface
    interface BeforeCommit {
        void run(Path temp) throws IOException;
    }

    /** What the zip is written through; lets tests stand in for a full disk. */
    @FunctionalInterface
    interface Sink {
        OutputStream wrap(OutputStream file);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Atomically writes {@code entries} (in iteration order) as a model file at {@code file}, replacing any existing
     * file only once the new one is complete on disk.
     *
     * @throws IllegalArgumentException for a null or invalid entry name (empty, {@value #MANIFEST}, absolute, with
     *                                  backslashes, control characters or {@code .}/{@code ..} segments) or null bytes
     * @throws IOException              if writing fails; the target is then unchanged and no temporary file remains
     */
    public static void write(Path file, Map<String, byte[]> entries) throws IOException {
        write(file, entries, out -> out, temp -> { });
    }

    static void write(Path file, Map<String, byte[]> entries, BeforeCommit beforeCommit) throws IOException {
        write(file, entries, out -> out, beforeCommit);
    }

    static void write(Path file, Map<String, byte[]> entries, Sink sink, BeforeCommit beforeCommit) throws IOException {
        // snapshot and check everything before touching the disk
        LinkedHashMap<String, byte[]> snapshot = new LinkedHashMap<>();
        LinkedHashMap<String, Object> listed = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String problem = nameProblem(e.getKey());
            if (problem != null) throw new IllegalArgumentException("model entry name " + quote(e.getKey()) + " " + problem);
            byte[] data = e.getValue();
            if (data == null) throw new IllegalArgumentException("model entry '" + e.getKey() + "' has null bytes");
            snapshot.put(e.getKey(), data);
            LinkedHashMap<String, Object> info = new LinkedHashMap<>();
            info.put("size", (long) data.length);
            info.put("sha256", sha256(data));
            listed.put(e.getKey(), info);
        }
        LinkedHashMap<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("format_version", FORMAT_VERSION);
        manifest.put("entries", listed);
        byte[] manifestBytes = (Json.write(manifest, true) + "\n").getBytes(StandardCharsets.UTF_8);

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) throw new IOException(file + " is a directory, not a model file");
        TempFiles.removeStale(dir, target.getFileName().toString());
        Path temp = TempFiles.create(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                 ZipOutputStream zip = new ZipOutputStream(
                         new BufferedOutputStream(sink.wrap(Channels.newOutputStream(ch)), 1 << 16))) {
                putStored(zip, MANIFEST, manifestBytes);
                for (Map.Entry<String, byte[]> e : snapshot.entrySet()) putStored(zip, e.getKey(), e.getValue());
                zip.finish();
                zip.flush();
                // on disk before the rename: otherwise a power cut could leave the new name pointing at empty blocks
                ch.force(true);
            }
            beforeCommit.run(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // some file systems cannot rename atomically; replacing is still far better than writing in place
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            // "No space left on device" alone does not say which save failed; a FileSystemException names its file
            if (t instanceof IOException io && !(t instanceof java.nio.file.FileSystemException)) {
                throw new IOException("cannot save " + file + ": " + io.getMessage()
                        + " (a file already there under that name is left as it was)", io);
            }
            throw t;
        } finally {
            TempFiles.done(temp);
        }
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) {
        // makes the rename itself durable on POSIX; not possible everywhere (Windows cannot open a directory), and
        // the model is already complete under its name, so failure here is not an error
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads and verifies the model file at {@code file} (on the default file system), returning its entries in
     * manifest order, without the manifest itself.
     *
     * @throws ModelFormatException if the file is not a Nabla model, is of a newer format version, or is truncated or
     *                              corrupt; the message starts with {@code file}
     * @throws IOException          if the file cannot be read at all (missing, no permission)
     */
    public static Map<String, byte[]> read(Path file) throws IOException {
        return readContents(file).entries();
    }

    /**
     * Like {@link #read}, with the file's format version. Every listed entry is inflated (up to
     * {@link #MAX_ENTRY_BYTES} each): a reader that knows which entries it needs and how large they can be uses
     * {@link #open} instead.
     */
    public static Contents readContents(Path file) throws IOException {
        try (ArchiveEntries archive = open(file)) {
            LinkedHashMap<String, byte[]> out = new LinkedHashMap<>();
            for (String name : archive.names()) out.put(name, archive.read(name, MAX_ENTRY_BYTES, "an entry can hold"));
            return new Contents(archive.formatVersion(), out);
        }
    }

    /**
     * Opens the model file at {@code file} and checks its zip directory and manifest, inflating nothing else; the
     * caller reads the entries it knows with {@link ArchiveEntries#read}, each bounded, and closes the result.
     *
     * @throws ModelFormatException if the file is not a Nabla model, is of a newer format version, or its directory
     *                              or manifest is damaged; the message starts with {@code file}
     * @throws IOException          if the file cannot be read at all (missing, no permission)
     */
    public static ArchiveEntries open(Path file) throws IOException {
        String where = file.toString();
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) { // missing/unreadable: a plain IOException, as documented
            magic = in.readNBytes(4);
        }
        boolean looksLikeZip = Arrays.equals(magic, ZIP_MAGIC);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            // a model always starts with a zip entry header; if that is there, the rest (the directory at the end) is
            // missing or damaged, which is what a cut-off copy or download looks like
            if (!looksLikeZip) throw new ModelFormatException(where + " is not a Nabla model file (not a zip archive)", e);
            throw new ModelFormatException(where + " is truncated or damaged (" + e.getMessage() + ")", e);
        }
        try {
            return ArchiveEntries.verify(zip, where);
        } catch (Throwable t) {
            try {
                zip.close();
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            if (t instanceof ModelFormatException || t instanceof Error) throw t;
            // ZipException, EOFException, IllegalArgumentException from a bad header...: all mean a damaged file
            throw new ModelFormatException(where + " is truncated or damaged (" + t + ")", t);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Why {@code name} cannot be an entry name, or null if it can; names must also be safe for anyone who unzips. */
    static String nameProblem(String name) {
        if (name == null) return "is null";
        if (name.isEmpty()) return "is empty";
        if (name.equals(MANIFEST)) return "is reserved for the manifest";
        if (name.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) return "is longer than a zip entry name can be";
        if (name.startsWith("/")) return "must be relative";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) return "contains a control character";
            if (c == '\\') return "contains a backslash; use '/'";
        }
        for (String segment : List.of(name.split("/", -1))) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "has an empty, '.' or '..' path segment";
            }
        }
        return null;
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256Bytes(data));
    }

    static byte[] sha256Bytes(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
