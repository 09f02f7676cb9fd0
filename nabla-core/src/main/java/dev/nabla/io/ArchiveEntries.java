package dev.nabla.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model file opened for reading ({@link ModelArchive#open}): its zip directory and manifest are checked, and nothing
 * else has been inflated yet. Entries are then read one at a time, each with a limit the caller knows from the format
 * (what the network's shapes need, a cap for a JSON entry), so an entry the reader has no use for is never inflated,
 * and a listed or inflated size past the limit is refused before it is allocated.
 *
 * <p>What {@link ModelArchive#open} has already checked: at most {@value #MAX_ENTRIES} zip entries, no two with one
 * name, a manifest that is valid JSON of format {@value ModelArchive#FORMAT} and a readable version, every listed
 * entry present, nothing in the zip unlisted. {@link #read} checks the entry's size, zip CRC-32 and SHA-256.
 */
public final class ArchiveEntries implements AutoCloseable {

    /**
     * Most zip entries a model file may hold: a model has a handful; a directory of a million tiny entries (a few
     * megabytes on disk) would otherwise cost memory and time before any check.
     */
    public static final int MAX_ENTRIES = 1024;

    // a manifest is ~100 bytes per entry; anything this big is hostile or not ours
    private static final int MAX_MANIFEST_BYTES = 1 << 20;

    // manifest -> entries -> entry info is 3 levels; one spare for future additive fields
    private static final int MANIFEST_DEPTH = 4;

    private record Listed(long size, byte[] sha256, ZipEntry entry) {
    }

    private final ZipFile zip;
    private final String where;
    private final int formatVersion;
    private final Map<String, Listed> listed;

    private ArchiveEntries(ZipFile zip, String where, int formatVersion, Map<String, Listed> listed) {
        this.zip = zip;
        this.where = where;
        this.formatVersion = formatVersion;
        this.listed = listed;
    }

    /** Checks the directory and manifest of an opened zip; closes nothing (the caller closes {@code zip} on failure). */
    static ArchiveEntries verify(ZipFile zip, String where) throws IOException {
        if (zip.size() > MAX_ENTRIES) {
            throw corrupt(where, "it has " + zip.size() + " zip entries; a model file has at most " + MAX_ENTRIES);
        }
        Set<String> inZip = new HashSet<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            // two entries with one name: which one a tool shows is arbitrary, so refuse rather than guess
            if (!inZip.add(e.getName())) throw corrupt(where, "duplicate entry " + quote(e.getName()));
        }
        ZipEntry manifestEntry = zip.getEntry(ModelArchive.MANIFEST);
        if (manifestEntry == null || !manifestEntry.getName().equals(ModelArchive.MANIFEST)) {
            throw new ModelFormatException(where + " is not a Nabla model file (it has no " + ModelArchive.MANIFEST + ")");
        }
        byte[] manifestBytes = inflate(zip, manifestEntry, MAX_MANIFEST_BYTES, where);
        if (manifestBytes.length > MAX_MANIFEST_BYTES) {
            throw corrupt(where, ModelArchive.MANIFEST + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        checkCrc(manifestEntry, manifestBytes, where);
        Map<String, Object> manifest = manifest(manifestBytes, where);
        long version;
        Map<String, Object> entries;
        try {
            version = Json.asLong(manifest.get("format_version"), ModelArchive.MANIFEST + " format_version");
            if (version > ModelArchive.FORMAT_VERSION) {
                throw new ModelFormatException(where + " was written by a newer Nabla (model format version " + version
                        + "); this Nabla reads format version " + ModelArchive.FORMAT_VERSION + ". Upgrade Nabla to load it.");
            }
            if (version < 1) throw corrupt(where, "unknown model format version " + version);
            entries = Json.asObject(manifest.get("entries"), ModelArchive.MANIFEST + " entries");
        } catch (JsonException e) {
            throw corrupt(where, e.getMessage());
        }

        LinkedHashMap<String, Listed> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            String name = e.getKey();
            String problem = ModelArchive.nameProblem(name);
            if (problem != null) throw corrupt(where, "manifest entry name " + quote(name) + " " + problem);
            long size;
            String sha;
            try {
                Map<String, Object> info = Json.asObject(e.getValue(), "manifest entry " + quote(name));
                size = Json.asLong(info.get("size"), "manifest entry " + quote(name) + " size", 0, ModelArchive.MAX_ENTRY_BYTES);
                sha = Json.asString(info.get("sha256"), "manifest entry " + quote(name) + " sha256");
            } catch (JsonException ex) {
                throw corrupt(where, ex.getMessage());
            }
            if (sha.length() != 64 || !sha.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                throw corrupt(where, "manifest entry " + quote(name) + " sha256 is not 64 hex digits");
            }
            ZipEntry ze = zip.getEntry(name);
            // getEntry("x") may also answer the directory "x/": only the exact name counts
            if (ze == null || !ze.getName().equals(name)) {
                throw corrupt(where, "entry " + quote(name) + " listed in the manifest is missing");
            }
            out.put(name, new Listed(size, HexFormat.of().parseHex(sha.toLowerCase(Locale.ROOT)), ze));
        }
        for (String name : inZip) {
            // an unlisted entry was not written by Nabla: refuse rather than silently ignore smuggled content
            if (!name.equals(ModelArchive.MANIFEST) && !out.containsKey(name)) {
                throw corrupt(where, "entry " + quote(name) + " is not listed in the manifest");
            }
        }
        return new ArchiveEntries(zip, where, (int) version, Collections.unmodifiableMap(out));
    }

    private static Map<String, Object> manifest(byte[] bytes, String where) throws ModelFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(where + " is not a Nabla model file (" + ModelArchive.MANIFEST + " is not UTF-8)", e);
        }
        Map<String, Object> manifest;
        try {
            manifest = Json.asObject(Json.parse(text, MANIFEST_DEPTH), ModelArchive.MANIFEST);
        } catch (JsonException e) {
            throw new ModelFormatException(where + " is not a Nabla model file (" + ModelArchive.MANIFEST + " is invalid: "
                    + e.getMessage() + ")", e);
        }
        Object format = manifest.get("format");
        if (!ModelArchive.FORMAT.equals(format)) {
            throw new ModelFormatException(where + " is not a Nabla model file (" + ModelArchive.MANIFEST + " format is "
                    + (format instanceof String s ? quote(s) : String.valueOf(format))
                    + ", expected \"" + ModelArchive.FORMAT + "\")");
        }
        return manifest;
    }

    /** The file's model format version (1 or 2). */
    public int formatVersion() {
        return formatVersion;
    }

    /** The entries the manifest lists, in its order (without the manifest itself). */
    public Set<String> names() {
        return listed.keySet();
    }

    /** Whether the manifest lists {@code name}. */
    public boolean contains(String name) {
        return listed.containsKey(name);
    }

    /** The size the manifest gives for {@code name}, or -1 when it is not listed. */
    public long listedSize(String name) {
        Listed l = listed.get(name);
        return l == null ? -1 : l.size;
    }

    /**
     * Reads and verifies one listed entry, refusing it without inflating it when the manifest lists more than
     * {@code maxBytes} bytes for it, and stopping one byte past the listed size when the data runs on.
     *
     * @param limitReason what {@code maxBytes} is, for the message (e.g. "what the network's 4 tensors need")
     * @throws ModelFormatException naming the file and the entry when it is too large, truncated, or fails a checksum
     * @throws IllegalArgumentException if {@code name} is not listed (check {@link #contains} first)
     */
    public byte[] read(String name, long maxBytes, String limitReason) throws IOException {
        Listed l = listed.get(name);
        if (l == null) throw new IllegalArgumentException(name + " is not listed in " + where);
        if (l.size > maxBytes) {
            throw corrupt(where, "entry " + quote(name) + " is listed as " + l.size + " bytes, more than the " + maxBytes
                    + " bytes " + limitReason);
        }
        try {
            byte[] data = inflate(zip, l.entry, l.size, where);
            if (data.length != l.size) {
                throw corrupt(where, "entry " + quote(name) + " has " + (data.length > l.size ? "more than " + l.size
                        : String.valueOf(data.length)) + " bytes, the manifest says " + l.size);
            }
            checkCrc(l.entry, data, where);
            if (!MessageDigest.isEqual(l.sha256, ModelArchive.sha256Bytes(data))) {
                throw corrupt(where, "checksum mismatch in entry " + quote(name) + " (SHA-256 differs from the manifest)");
            }
            return data;
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ZipException from a bad local header, IllegalArgumentException from a bad extra field...: a damaged file
            throw new ModelFormatException(where + " is truncated or damaged (reading entry " + quote(name) + ": " + e + ")", e);
        }
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Reads at most {@code limit + 1} bytes, so a lying zip header cannot make us allocate more than is there. */
    private static byte[] inflate(ZipFile zip, ZipEntry e, long limit, String where) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            // readNBytes grows its buffer as data actually arrives, so a huge limit allocates nothing up front
            byte[] data = in.readNBytes((int) Math.min(limit, ModelArchive.MAX_ENTRY_BYTES));
            // one byte over is enough to report "too long" without reading the rest
            return in.read() == -1 ? data : Arrays.copyOf(data, data.length + 1);
        } catch (ZipException | EOFException ex) {
            throw new ModelFormatException(where + " is truncated or damaged (reading entry " + quote(e.getName())
                    + ": " + ex.getMessage() + ")", ex);
        }
    }

    private static void checkCrc(ZipEntry e, byte[] data, String where) throws ModelFormatException {
        CRC32 crc = new CRC32();
        crc.update(data);
        if (e.getCrc() != -1 && e.getCrc() != crc.getValue()) {
            throw corrupt(where, "checksum mismatch in entry " + quote(e.getName()) + " (CRC-32 differs from the zip header)");
        }
    }

    private static ModelFormatException corrupt(String where, String what) {
        return new ModelFormatException(where + " is corrupt: " + what);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }
}
