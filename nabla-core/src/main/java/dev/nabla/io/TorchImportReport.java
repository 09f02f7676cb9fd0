package dev.nabla.io;

import java.util.List;
import java.util.Map;

/**
 * What {@link TorchWeights#load} did: which PyTorch module prefix each Nabla layer was read from, and, like
 * {@code torch.nn.Module.load_state_dict}'s result, the keys that were missing or unexpected (always empty for a
 * strict import, which refuses both).
 *
 * @param source         the file (or name) the state_dict came from
 * @param layers         each imported Nabla layer, in the network's order
 * @param missingKeys    keys a Nabla layer reads that the file lacks (those weights kept their values)
 * @param unexpectedKeys keys of the file that no Nabla layer reads
 * @param ignoredKeys    keys skipped on purpose: BatchNorm's {@code num_batches_tracked}
 * @param dtypes         the safetensors dtype of every tensor in the file, by key
 */
public record TorchImportReport(String source, List<LayerImport> layers, List<String> missingKeys,
                                List<String> unexpectedKeys, List<String> ignoredKeys, Map<String, String> dtypes) {

    /**
     * One Nabla layer's import.
     *
     * @param layer       its path in the network ({@code "0"}, {@code "encoder"}; empty for the network itself)
     * @param description its type and settings
     * @param prefix      the PyTorch module prefix its keys were read under ({@code "features.0."}; may be empty)
     * @param keys        the full PyTorch keys it read
     */
    public record LayerImport(String layer, String description, String prefix, List<String> keys) {
    }

    public TorchImportReport {
        layers = List.copyOf(layers);
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
        ignoredKeys = List.copyOf(ignoredKeys);
        dtypes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dtypes));
    }

    /** Number of PyTorch tensors read into the network. */
    public int loadedTensors() {
        int n = 0;
        for (LayerImport l : layers) n += l.keys().size();
        return n;
    }

    /** One line per layer ({@code layer '0' dense(...) <- 0.weight, 0.bias}), then the missing and unexpected keys. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source).append(": ").append(loadedTensors()).append(" tensors into ")
                .append(layers.size()).append(" layers\n");
        for (LayerImport l : layers) {
            sb.append("  layer '").append(l.layer()).append("' ").append(l.description()).append(" <- ")
                    .append(String.join(", ", l.keys())).append('\n');
        }
        if (!missingKeys.isEmpty()) sb.append("  missing: ").append(String.join(", ", missingKeys)).append('\n');
        if (!unexpectedKeys.isEmpty()) sb.append("  unexpected: ").append(String.join(", ", unexpectedKeys)).append('\n');
        return sb.toString();
    }
}
