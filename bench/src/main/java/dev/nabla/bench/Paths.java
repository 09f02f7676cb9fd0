package dev.nabla.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is: the benchmark jar lives in {@code bench/target/}, so the root is two levels up. */
final class Paths {

    private Paths() {
    }

    /** The repository root: {@code -Dnabla.bench.root} if set, else two levels above the jar, else the working directory. */
    static Path repoRoot() {
        String property = System.getProperty("nabla.bench.root");
        if (property != null && !property.isBlank()) return Path.of(property).toAbsolutePath().normalize();
        try {
            Path code = Path.of(Paths.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            // bench/target/nabla-bench.jar or bench/target/classes
            Path bench = code.getParent() == null ? null : code.getParent().getParent();
            if (bench != null && bench.getParent() != null && Files.isDirectory(bench.resolve("src"))) {
                return bench.getParent().normalize();
            }
        } catch (URISyntaxException | RuntimeException unknown) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code bench/target}, where trained models are cached. */
    static Path benchTarget() {
        return repoRoot().resolve("bench").resolve("target");
    }
}
