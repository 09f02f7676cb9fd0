package dev.nabla.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the four files of MNIST or Fashion-MNIST ({@code nabla datasets download}) into a folder, from the official
 * location, another base URL (a mirror) or a local folder ({@link #copyFrom}). Every file is checked against its
 * published SHA-256 before it gets its final name: downloads go to {@code NAME.part}, an interrupted download resumes
 * from there with an HTTP Range request, and a file whose checksum does not match is deleted. Files already present
 * and intact are not fetched again.
 *
 * <p>Two checksums are known per file: of the published {@code .gz} archive and of its decompressed content. A file
 * passes when either matches, because mirrors (and the copy in this project's shared data folder) recompress the
 * archives, which changes the archive's bytes but not the data.
 */
public final class DatasetDownloader {

    /**
     * One file of a data set.
     *
     * @param name          file name, also appended to the base URL
     * @param size          bytes of the published file (for progress; 0 when unknown)
     * @param sha256        SHA-256 of the published file, lower-case hex
     * @param contentSha256 SHA-256 of its decompressed content (null when the file is not gzipped)
     */
    public record FileSpec(String name, long size, String sha256, String contentSha256) {
    }

    /** A downloadable data set: its name on the command line, official base URL and files. */
    public record Dataset(String name, URI baseUrl, List<FileSpec> files) {
    }

    /**
     * MNIST from PyTorch's mirror (Yann LeCun's site no longer serves it reliably). The checksums are those
     * published for the original archives, which the mirror serves unchanged.
     */
    public static final Dataset MNIST = new Dataset("mnist", URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"), List.of(
            new FileSpec("train-images-idx3-ubyte.gz", 9_912_422,
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new FileSpec("train-labels-idx1-ubyte.gz", 28_881,
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new FileSpec("t10k-images-idx3-ubyte.gz", 1_648_877,
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new FileSpec("t10k-labels-idx1-ubyte.gz", 4_542,
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")));

    /** Fashion-MNIST from Zalando Research's official bucket (plain HTTP; the checksums guard the content). */
    public static final Dataset FASHION_MNIST = new Dataset("fashion-mnist",
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"), List.of(
            new FileSpec("train-images-idx3-ubyte.gz", 26_421_880,
                    "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            new FileSpec("train-labels-idx1-ubyte.gz", 29_515,
                    "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            new FileSpec("t10k-images-idx3-ubyte.gz", 4_422_102,
                    "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            new FileSpec("t10k-labels-idx1-ubyte.gz", 5_148,
                    "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));

    private final HttpClient client;
    private final Consumer<String> log;

    /** Reports what it does, one line at a time, to {@code log}. */
    public DatasetDownloader(Consumer<String> log) {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build(), log);
    }

    public DatasetDownloader(HttpClient client, Consumer<String> log) {
        this.client = client;
        this.log = log == null ? s -> { } : log;
    }

    /** The data sets known by name. */
    public static List<Dataset> datasets() {
        return List.of(MNIST, FASHION_MNIST);
    }

    /** The data set called {@code name} ({@code mnist}, {@code fashion-mnist}; case and {@code _} ignored). */
    public static Dataset dataset(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Dataset d : datasets()) if (d.name().equals(key)) return d;
        throw new IllegalArgumentException("unknown data set '" + name + "' (known: mnist, fashion-mnist)");
    }

    /**
     * Downloads the files of {@code dataset} that {@code dir} lacks (or holds damaged) and returns all its files.
     *
     * @param baseUrl where the files are (each file's name is appended); null for the official location, a
     *                {@code file:} URL for a local folder
     */
    public List<Path> download(Dataset dataset, Path dir, URI baseUrl) throws IOException {
        URI base = baseUrl == null ? dataset.baseUrl() : baseUrl;
        if ("file".equalsIgnoreCase(base.getScheme())) return copyFrom(dataset, Path.of(base), dir);
        if (!base.getPath().endsWith("/")) base = URI.create(base + "/");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (FileSpec spec : dataset.files()) {
            Path target = dir.resolve(spec.name());
            if (Files.isRegularFile(target) && verify(spec, target)) {
                log.accept(spec.name() + ": already there, checksum ok");
                out.add(target);
                continue;
            }
            fetchVerified(spec, base.resolve(spec.name()), target);
            out.add(target);
        }
        return out;
    }

    /**
     * Copies the files of {@code dataset} from a local folder into {@code dir}, checking each first. A source file may
     * also be the decompressed version (the name without {@code .gz}); it is copied under that name.
     */
    public List<Path> copyFrom(Dataset dataset, Path fromDir, Path dir) throws IOException {
        if (!Files.isDirectory(fromDir)) throw new DataException(fromDir + ": no such folder");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (FileSpec spec : dataset.files()) {
            Path src = fromDir.resolve(spec.name());
            Path dst = dir.resolve(spec.name());
            if (!Files.isRegularFile(src) && spec.name().endsWith(".gz")) {
                String plain = spec.name().substring(0, spec.name().length() - 3);
                if (Files.isRegularFile(fromDir.resolve(plain))) {
                    src = fromDir.resolve(plain);
                    dst = dir.resolve(plain);
                }
            }
            if (!Files.isRegularFile(src)) throw new DataException(src + ": no such file (needed for " + dataset.name() + ")");
            if (!verify(spec, src)) {
                throw new DataException(src + ": checksum mismatch (expected SHA-256 " + spec.sha256() + ", got "
                        + sha256(src) + "); not copied");
            }
            if (Files.exists(dst) && Files.isSameFile(src, dst)) {
                log.accept(spec.name() + ": already there, checksum ok");
            } else {
                Path part = dst.resolveSibling(dst.getFileName() + ".part");
                Files.copy(src, part, StandardCopyOption.REPLACE_EXISTING);
                moveIntoPlace(part, dst);
                log.accept(dst.getFileName() + ": copied from " + fromDir + ", checksum ok");
            }
            out.add(dst);
        }
        return out;
    }

    /**
     * Whether {@code file} is the published file: its SHA-256 matches, or its (decompressed, when gzipped) content
     * matches the content checksum.
     */
    public static boolean verify(FileSpec spec, Path file) throws IOException {
        String sha = sha256(file);
        if (sha.equals(spec.sha256())) return true;
        if (spec.contentSha256() == null) return false;
        if (sha.equals(spec.contentSha256())) return true;
        if (!isGzip(file)) return false;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return digest(in).equals(spec.contentSha256());
        } catch (IOException e) {
            return false; // a damaged archive: it is not the file
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    private void fetchVerified(FileSpec spec, URI uri, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        for (int attempt = 0; ; attempt++) {
            boolean resumed = fetch(spec, uri, part);
            if (verify(spec, part)) {
                moveIntoPlace(part, target);
                log.accept(spec.name() + ": " + Files.size(target) + " bytes, checksum ok");
                return;
            }
            String actual = sha256(part);
            Files.deleteIfExists(part);
            if (resumed && attempt == 0) {
                // the earlier partial download may have been the damaged part: try once more from the start
                log.accept(spec.name() + ": checksum mismatch after resuming; downloading it again from the start");
                continue;
            }
            throw new DataException(uri + ": checksum mismatch (expected SHA-256 " + spec.sha256() + ", got " + actual
                    + "); the download was deleted. Try again, or use another mirror");
        }
    }

    /** Downloads {@code uri} into {@code part}, continuing a partial file; true when it continued one. */
    private boolean fetch(FileSpec spec, URI uri, Path part) throws IOException {
        Boolean resumed = fetchOnce(spec, uri, part);
        // null: the server answered with another range than asked for; the partial file is gone, so start afresh
        return resumed != null ? resumed : fetchOnce(spec, uri, part) == Boolean.TRUE;
    }

    /** One request; null when the partial file had to be dropped and nothing was fetched. */
    private Boolean fetchOnce(FileSpec spec, URI uri, Path part) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + uri + " interrupted");
        } catch (IOException e) {
            throw new DataException(uri + ": cannot download (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + ")" + (have > 0 ? "; the partial file " + part + " is kept for the next try" : ""));
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 416 && have > 0) {
                // nothing left to send: the partial file is already complete (or damaged, which the checksum shows)
                return true;
            }
            boolean append = status == 206 && have > 0 && response.headers().firstValue("Content-Range")
                    .map(r -> r.startsWith("bytes " + have + "-")).orElse(false);
            if (status == 206 && have > 0 && !append) {
                // a range other than the one asked for: start over rather than splice bytes wrongly
                Files.deleteIfExists(part);
                return null;
            }
            if (status != 200 && status != 206) throw new DataException(uri + ": HTTP status " + status);
            log.accept(append ? "resuming " + uri + " at byte " + have : "downloading " + uri);
            StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            long total = spec.size() > 0 ? spec.size() : response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                byte[] buf = new byte[1 << 16];
                long done = append ? have : 0;
                int reported = (int) (total > 0 ? done * 4 / total : 0);
                for (int n; (n = body.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    done += n;
                    // a line per quarter, for files large enough to take a while
                    if (total > (1 << 22) && done * 4 / total > reported && done < total) {
                        reported = (int) (done * 4 / total);
                        log.accept(spec.name() + ": " + reported * 25 + "%");
                    }
                }
            } catch (IOException e) {
                throw new DataException(uri + ": download broke off (" + e.getMessage() + "); the partial file " + part
                        + " is kept, run the command again to resume");
            }
            return append;
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static String digest(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }
}
