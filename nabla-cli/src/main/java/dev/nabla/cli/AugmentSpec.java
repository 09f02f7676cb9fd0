package dev.nabla.cli;

import dev.nabla.data.ImageAugmentation;

import java.util.Locale;

/** {@code nabla train --augment}: the random changes to training images, parsed from the command line. */
final class AugmentSpec {

    private AugmentSpec() {
    }

    /** {@code --augment}: comma-separated {@code flip}, {@code shift[:PIXELS]} (default 2 pixels). */
    static ImageAugmentation parse(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) return null;
        boolean flip = false;
        int shift = 0;
        for (String raw : spec.split(",")) {
            String t = raw.trim().toLowerCase(Locale.ROOT);
            if (t.equals("flip")) {
                flip = true;
            } else if (t.equals("shift")) {
                shift = 2;
            } else if (t.startsWith("shift:")) {
                try {
                    shift = Integer.parseInt(t.substring(6));
                } catch (NumberFormatException e) {
                    shift = -1;
                }
                if (shift < 1) throw new UsageException("--augment: bad '" + raw.trim() + "' (shift:PIXELS with PIXELS >= 1)");
            } else {
                throw new UsageException("--augment: unknown augmentation '" + raw.trim() + "' (known: flip, shift, shift:PIXELS)");
            }
        }
        return new ImageAugmentation(flip, shift);
    }
}
