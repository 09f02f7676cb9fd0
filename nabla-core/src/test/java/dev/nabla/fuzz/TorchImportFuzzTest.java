package dev.nabla.fuzz;

import dev.nabla.io.TorchWeights;
import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GlobalAveragePool1D;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.TransformerEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutations of PyTorch state_dicts (the torch-import fixtures: a CNN with batch norm in F16, an embedding +
 * transformer encoder in BF16) imported non-strictly and strictly (the CNN) or strictly: each imports or fails with one
 * clear {@link dev.nabla.io.ModelFormatException} naming the file, never an unchecked exception or a hang.
 */
class TorchImportFuzzTest {

    @TempDir
    Path dir;

    private static Sequential cnn() {
        return new Sequential(new Conv2D(4, 3, 1, 1, Activation.LINEAR), new BatchNorm(), new ActivationLayer(Activation.RELU),
                new MaxPool2D(2), new Flatten(), new Dense(5), new BatchNorm(), new ActivationLayer(Activation.RELU),
                new Dense(3)).build(2, 6, 6);
    }

    private static Sequential transformer() {
        return new Sequential(new Embedding(11, 8), new TransformerEncoder(new TransformerEncoder.Config(2, 16, 0f,
                Activation.GELU, false, 1e-5f)), new GlobalAveragePool1D(), new Dense(3)).build(5);
    }

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(Path.of("src/test/resources/torch_import/" + name));
    }

    @Test
    void stateDicts() throws Exception {
        List<String> failures = new ArrayList<>();
        int n = FuzzHarness.iterations(300);
        failures.addAll(FuzzHarness.run("torch-cnn", dir, "cnn.safetensors", List.of(fixture("cnn_f16.safetensors")), n, 41,
                Mutator::mutate, file -> {
                    TorchWeights.load(cnn(), file, TorchWeights.Options.defaults().strict(false));
                    TorchWeights.load(cnn(), file);
                }, true));
        failures.addAll(FuzzHarness.run("torch-transformer", dir, "transformer.safetensors",
                List.of(fixture("transformer_bf16.safetensors")), n, 43, Mutator::mutate,
                file -> TorchWeights.load(transformer(), file), true));
        assertTrue(failures.isEmpty(), failures.size() + " inputs failed, e.g.:\n"
                + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }
}
