package dev.nabla.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The process's peak resident set size, from {@code VmHWM} in {@code /proc/self/status} (Linux). It counts the Java
 * heap as far as it was touched, native buffers and code: the memory the process really took from the machine,
 * comparable with PyTorch's {@code ru_maxrss}.
 */
public final class PeakRss {

    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakRss() {
    }

    /** The peak RSS in MiB, or empty where {@code /proc/self/status} has no {@code VmHWM} (not Linux). */
    public static OptionalDouble mb() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (!line.startsWith("VmHWM:")) continue;
                String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                double kb = Double.parseDouble(parts[0]);
                return OptionalDouble.of(kb / 1024.0);
            }
        } catch (IOException | RuntimeException unavailable) {
            // not Linux, or a kernel without VmHWM: leave the figure out
        }
        return OptionalDouble.empty();
    }

    /** Adds {@code "peak_rss_mb"} (one decimal) to {@code result} where the figure is available. */
    public static ResultLine addTo(ResultLine result) {
        OptionalDouble mb = mb();
        if (mb.isPresent()) result.put("peak_rss_mb", Timing.round(mb.getAsDouble(), 1));
        return result;
    }
}
