package dev.nabla.cli;

import dev.nabla.data.DatasetDownloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nabla datasets download mnist|fashion-mnist --dir DIR}. */
@Command(name = "download", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Downloads MNIST or Fashion-MNIST (IDX files, checksums verified; an interrupted download "
                + "resumes, files already there are kept) into DIR, ready for: nabla train --data DIR"})
final class DownloadCommand implements Callable<Integer> {

    private final Io io;

    @Parameters(index = "0", paramLabel = "NAME", description = "mnist or fashion-mnist")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder for the files (created if needed).")
    Path dir;

    @Option(names = "--from", paramLabel = "URL|DIR",
            description = "A mirror's base URL, or a local folder holding the files, instead of the official location.")
    String from;

    DownloadCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        DatasetDownloader.Dataset dataset;
        try {
            dataset = DatasetDownloader.dataset(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("datasets download: " + e.getMessage());
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UsageException("--dir " + dir + ": is a file, not a folder");
        URI base = null;
        if (from != null) {
            if (from.matches("(?i)(https?|file):.*")) {
                base = URI.create(from);
            } else {
                Path local = Path.of(from);
                if (!Files.isDirectory(local)) throw new UsageException("--from " + from + ": no such folder (or give an http(s) URL)");
                base = local.toAbsolutePath().toUri();
            }
        }
        DatasetDownloader downloader = new DatasetDownloader(line -> io.err().println(line));
        List<Path> files = downloader.download(dataset, dir, base);
        io.out().println(dataset.name() + ": " + files.size() + " files in " + dir + "; train with: nabla train --data " + dir);
        return 0;
    }
}
