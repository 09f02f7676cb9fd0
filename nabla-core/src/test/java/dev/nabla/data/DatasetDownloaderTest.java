package dev.nabla.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Downloads from a local HTTP server on 127.0.0.1; nothing here contacts the internet. */
class DatasetDownloaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private URI base;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile boolean honourRanges = true;
    private volatile boolean wrongRanges;
    private volatile long bytesSent;

    private byte[] raw;
    private byte[] archive;
    private byte[] labels;
    private DatasetDownloader.Dataset dataset;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().replaceFirst("^/data/", "");
            byte[] body = served.get(name);
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null) ranges.add(name + " " + range);
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                int from = 0;
                if (range != null && wrongRanges) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes 0-" + (body.length - 1) + "/" + body.length);
                    exchange.sendResponseHeaders(206, body.length);
                } else if (range != null && honourRanges) {
                    from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                    if (from >= body.length) {
                        exchange.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                        exchange.sendResponseHeaders(416, -1);
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                    exchange.sendResponseHeaders(206, body.length - from);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                }
                bytesSent += body.length - from; // counted first: the client may finish before this handler returns
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body, from, body.length - from);
                }
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/");

        raw = new byte[300_000];
        new Random(1).nextBytes(raw);
        for (int i = 0; i < raw.length; i += 3) raw[i] = 0; // compressible, so level 1 and 9 differ
        archive = gzip(raw, 9);
        labels = "labels".getBytes();
        dataset = new DatasetDownloader.Dataset("tiny", base, List.of(
                new DatasetDownloader.FileSpec("images.gz", archive.length, sha(archive), sha(raw)),
                new DatasetDownloader.FileSpec("labels", labels.length, sha(labels), null)));
        served.put("images.gz", archive);
        served.put("labels", labels);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DatasetDownloader downloader() {
        return new DatasetDownloader(log::add);
    }

    static byte[] gzip(byte[] data, int level) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes) {
            {
                def.setLevel(level);
            }
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void downloadsVerifiesAndSkipsFilesAlreadyThere() throws IOException {
        Path out = dir.resolve("out");
        List<Path> files = downloader().download(dataset, out, null);
        assertEquals(List.of(out.resolve("images.gz"), out.resolve("labels")), files);
        assertArrayEquals(archive, Files.readAllBytes(out.resolve("images.gz")));
        assertArrayEquals(labels, Files.readAllBytes(out.resolve("labels")));
        assertFalse(Files.exists(out.resolve("images.gz.part")));
        long sent = bytesSent;
        downloader().download(dataset, out, URI.create(base.toString().replaceAll("/$", "")));
        assertEquals(sent, bytesSent, "nothing fetched again");
        assertTrue(log.contains("images.gz: already there, checksum ok"), log.toString());
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.write(out.resolve("images.gz.part"), Arrays.copyOf(archive, 100_000));
        downloader().download(dataset, out, null);
        assertEquals(List.of("images.gz bytes=100000-"), ranges);
        assertEquals(archive.length - 100_000 + labels.length, bytesSent);
        assertArrayEquals(archive, Files.readAllBytes(out.resolve("images.gz")));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("resuming " + base + "images.gz at byte 100000")), log.toString());
    }

    @Test
    void aServerIgnoringRangesSendsEverythingAgain() throws IOException {
        honourRanges = false;
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.write(out.resolve("images.gz.part"), Arrays.copyOf(archive, 5000));
        downloader().download(dataset, out, null);
        assertArrayEquals(archive, Files.readAllBytes(out.resolve("images.gz")));
    }

    @Test
    void aServerSendingAnotherRangeMakesItStartOver() throws IOException {
        wrongRanges = true;
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.write(out.resolve("images.gz.part"), Arrays.copyOf(archive, 5000));
        downloader().download(dataset, out, null);
        assertArrayEquals(archive, Files.readAllBytes(out.resolve("images.gz")));
        assertEquals(List.of("images.gz bytes=5000-"), ranges);
    }

    @Test
    void aCompletePartialFileIsVerifiedAndKept() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.write(out.resolve("images.gz.part"), archive);
        downloader().download(dataset, out, null);
        assertArrayEquals(archive, Files.readAllBytes(out.resolve("images.gz")));
        assertEquals(labels.length, bytesSent);
    }

    @Test
    void aDamagedPartialFileIsDownloadedAgainFromTheStart() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        byte[] damaged = Arrays.copyOf(archive, 1000);
        damaged[500] ^= 1;
        Files.write(out.resolve("images.gz.part"), damaged);
        downloader().download(dataset, out, null);
        assertArrayEquals(archive, Files.readAllBytes(out.resolve("images.gz")));
        assertTrue(log.contains("images.gz: checksum mismatch after resuming; downloading it again from the start"), log.toString());
    }

    @Test
    void aChecksumMismatchDeletesTheDownloadAndSaysSo() throws IOException {
        byte[] wrong = archive.clone();
        wrong[wrong.length / 2] ^= 1;
        served.put("images.gz", wrong);
        Path out = dir.resolve("out");
        DataException e = assertThrows(DataException.class, () -> downloader().download(dataset, out, null));
        assertEquals(base + "images.gz: checksum mismatch (expected SHA-256 " + sha(archive) + ", got " + sha(wrong)
                + "); the download was deleted. Try again, or use another mirror", e.getMessage());
        assertFalse(Files.exists(out.resolve("images.gz.part")));
        assertFalse(Files.exists(out.resolve("images.gz")));
    }

    @Test
    void httpErrorsAreReported() {
        served.remove("labels");
        DataException e = assertThrows(DataException.class, () -> downloader().download(dataset, dir.resolve("out"), null));
        assertEquals(base + "labels: HTTP status 404", e.getMessage());
    }

    @Test
    void copiesFromALocalFolderAcceptingRecompressedArchives() throws IOException {
        Path from = Files.createDirectories(dir.resolve("from"));
        byte[] recompressed = gzip(raw, 1);
        assertFalse(Arrays.equals(recompressed, archive));
        Files.write(from.resolve("images.gz"), recompressed);
        Files.write(from.resolve("labels"), labels);
        Path out = dir.resolve("out");
        downloader().copyFrom(dataset, from, out);
        assertArrayEquals(recompressed, Files.readAllBytes(out.resolve("images.gz")));
        assertEquals(0, bytesSent);

        // a file: base URL is a local folder too; an uncompressed copy is accepted under its own name
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.write(plain.resolve("images"), raw);
        Files.write(plain.resolve("labels"), labels);
        List<Path> got = downloader().download(dataset, dir.resolve("out2"), plain.toUri());
        assertEquals(dir.resolve("out2/images"), got.get(0));
        assertArrayEquals(raw, Files.readAllBytes(got.get(0)));

        Files.write(from.resolve("labels"), "lapels".getBytes());
        DataException e = assertThrows(DataException.class, () -> downloader().copyFrom(dataset, from, dir.resolve("out3")));
        assertEquals(from.resolve("labels") + ": checksum mismatch (expected SHA-256 " + sha(labels) + ", got "
                + sha("lapels".getBytes()) + "); not copied", e.getMessage());
        Files.delete(from.resolve("labels"));
        e = assertThrows(DataException.class, () -> downloader().copyFrom(dataset, from, dir.resolve("out3")));
        assertEquals(from.resolve("labels") + ": no such file (needed for tiny)", e.getMessage());
    }

    @Test
    void knownDataSets() {
        assertSame(DatasetDownloader.MNIST, DatasetDownloader.dataset("MNIST"));
        assertSame(DatasetDownloader.FASHION_MNIST, DatasetDownloader.dataset("fashion_mnist"));
        assertEquals("unknown data set 'cifar' (known: mnist, fashion-mnist)",
                assertThrows(IllegalArgumentException.class, () -> DatasetDownloader.dataset("cifar")).getMessage());
        List<String> names = new ArrayList<>();
        for (DatasetDownloader.Dataset d : DatasetDownloader.datasets()) {
            for (DatasetDownloader.FileSpec f : d.files()) {
                assertTrue(f.sha256().matches("[0-9a-f]{64}") && f.contentSha256().matches("[0-9a-f]{64}"), f.name());
                names.add(f.name());
            }
        }
        assertEquals(8, names.size());
    }

    @Test
    void theSharedFashionMnistCopyPassesItsChecksums() throws IOException {
        Path shared = IdxLoaderTest.repoRoot().getParent().resolve("shared/data/fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(shared), "no shared Fashion-MNIST at " + shared);
        // these copies are recompressed (their .gz bytes differ from the published ones), so the content checksum decides
        for (DatasetDownloader.FileSpec f : DatasetDownloader.FASHION_MNIST.files()) {
            assertTrue(DatasetDownloader.verify(f, shared.resolve(f.name())), f.name());
        }
        assertFalse(DatasetDownloader.verify(DatasetDownloader.MNIST.files().get(3), shared.resolve("t10k-labels-idx1-ubyte.gz")));
    }
}
