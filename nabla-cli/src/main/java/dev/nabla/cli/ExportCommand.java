package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.onnx.OnnxExport;
import dev.nabla.onnx.OnnxGraph;
import dev.nabla.train.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nabla export}: a model file as ONNX, for other runtimes. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a model as ONNX (IR version 8, opset 17, a symbolic batch axis) for ONNX Runtime and other"
                + " runtimes. The ONNX model takes the same raw inputs as 'nabla predict' (its standardisation or pixel"
                + " scaling is part of the graph) and gives the probabilities, or the regression values in the target's"
                + " units. A layer that ONNX cannot express is refused, naming it."},
        footer = {"", "Examples:", "  nabla export --model iris.nabla --out iris.onnx",
                "  nabla export --model cnn.nabla --format onnx --out cnn.onnx --force"})
final class ExportCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file to export.")
    Path model;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx", description = "Output format: onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write, e.g. model.onnx.")
    Path out;

    @Option(names = "--force", description = "Let --out replace an existing file that is not an ONNX model.")
    boolean force;

    ExportCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.strip().toLowerCase(Locale.ROOT).equals("onnx")) {
            throw new UsageException("--format " + Printable.of(format) + ": unknown format (known: onnx)");
        }
        checkOut();
        Model m = ModelMetadata.load(model, "--model");
        if (m.metadata().containsKey(ModelMetadata.PREPROCESSING)) checkPreprocessingInside(ModelMetadata.preprocessing(m, model));
        OnnxExport.write(m, out);
        String classes = m.classNames().isEmpty() ? "" : " (probabilities of " + String.join(", ", m.classNames()) + ")";
        io.out().println("Wrote " + Printable.of(out.toString()) + ": ONNX, IR version " + OnnxGraph.IR_VERSION + ", opset "
                + OnnxGraph.OPSET + "; output '" + OnnxExport.OUTPUT + "'" + classes);
        return 0;
    }

    private void checkOut() throws IOException {
        OutputFiles.checkReplaceable(out, "--out");
        if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) throw new UsageException("--out " + Printable.of(out.toString()) + ": is a folder; give a file name");
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.exists(model) && Files.isSameFile(model, out)) {
            throw new UsageException("--out " + Printable.of(out.toString()) + ": is the --model file; choose another name");
        }
        if (!force && !looksLikeOnnx(out)) {
            throw new UsageException("--out " + Printable.of(out.toString()) + ": exists and is not an ONNX model; choose another name,"
                    + " or --force to replace it");
        }
    }

    /** An ONNX file starts with its IR version, field 1: tag byte 0x08, then a small version number. */
    private static boolean looksLikeOnnx(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 0x08 && head[1] >= 1 && head[1] <= 20;
        }
    }

    /**
     * Models of format 1 keep their standardisation (or pixel scaling) in metadata, applied by the command line's
     * loaders, not as a layer: an export of their network alone would take other inputs than predict does.
     */
    private void checkPreprocessingInside(Preprocessing p) {
        boolean outside = p.featureMean() != null || p.imageShape() != null && p.pixelMax() != ModelPreprocessing.PIXEL_MAX;
        if (outside) {
            throw new UsageException("--model " + Printable.of(model.toString()) + ": keeps its input preprocessing outside the network"
                    + " (model format 1), which an ONNX file cannot carry; train it again with this release to export it");
        }
    }
}
