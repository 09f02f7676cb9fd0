package dev.nabla.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads image files with {@code javax.imageio} (PNG, JPEG, BMP, GIF) into channel-first float pixels in {@code [0, 1]}
 * or {@code [0, 255]}.
 * Grey images (a grey colour space, or a palette of greys) are read from their samples directly: going through
 * {@code getRGB} would pass them through Java's linear-grey to sRGB conversion and brighten them.
 */
final class ImageDecoder {

    /** Size and whether the image is grey, from the file's header. */
    record Info(int width, int height, boolean gray) {
    }

    private static final String FORMATS = "PNG, JPEG, BMP or GIF";

    /**
     * The most pixels an image may have, checked from its header before it is decoded (a small PNG can claim
     * 20000x20000 pixels and take gigabytes): Pillow's limit, {@code Image.MAX_IMAGE_PIXELS}, which a Keras or PyTorch
     * user meets as a decompression-bomb error; the system property {@code nabla.image.maxPixels} changes it.
     */
    static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    static long maxPixels() {
        String v = System.getProperty("nabla.image.maxPixels", "").trim();
        if (v.isEmpty()) return DEFAULT_MAX_PIXELS;
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("nabla.image.maxPixels: expected a positive whole number, got '" + v + "'");
    }

    private ImageDecoder() {
    }

    /** Reads only the header: size and colour type. */
    static Info probe(Path file) throws DataException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new DataException(file + ": cannot open the image file");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new DataException(file + ": not an image in a supported format (" + FORMATS + ")");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    type = types.hasNext() ? types.next() : null;
                }
                if (w < 1 || h < 1) throw new DataException(file + ": the image has no pixels (" + w + "x" + h + ")");
                if ((long) w * h > maxPixels()) {
                    throw new DataException(String.format(java.util.Locale.ROOT, "%s: the image has %,d pixels (%dx%d), more than the"
                            + " limit of %,d (to allow more: -Dnabla.image.maxPixels=N, through NABLA_JAVA_OPTS for the nabla command)", file, (long) w * h, w, h, maxPixels()));
                }
                return new Info(w, h, type != null && isGray(type.getColorModel()));
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": cannot read the image (" + describe(e) + ")");
        }
    }

    /**
     * Decodes {@code file}, converts it to {@code channels} (1: grey by ITU-R 601 luma, 3: RGB), resizes it to
     * {@code width x height} and writes {@code [channels, height, width]} values from 0 to {@code pixelMax} (1 or 255)
     * at {@code out[offset]}. Pixels of 8 bits are {@code v / 255f} (as this release always read them) or {@code v}
     * itself, so that a model rescaling 0..255 with {@code Rescaling(1/255)} sees the values it was trained on.
     */
    static void decodeInto(Path file, int channels, int width, int height, int pixelMax, float[] out, int offset)
            throws DataException {
        boolean bytes = pixelMax == 255;
        probe(file); // the header first: an image over the pixel limit is refused before it is decoded
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": cannot read the image (" + describe(e) + ")");
        }
        if (img == null) throw new DataException(file + ": not an image in a supported format (" + FORMATS + ")");
        int sw = img.getWidth();
        int sh = img.getHeight();
        int plane = width * height;
        ColorModel cm = img.getColorModel();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int[] samples = img.getRaster().getSamples(0, 0, sw, sh, 0, (int[]) null);
            double max = (1L << cm.getComponentSize(0)) - 1;
            float[] g = new float[sw * sh];
            for (int i = 0; i < g.length; i++) g[i] = (float) (bytes ? samples[i] * (255 / max) : samples[i] / max);
            ImageResizer.resize(g, sw, sh, out, offset, width, height);
            for (int c = 1; c < channels; c++) System.arraycopy(out, offset, out, offset + c * plane, plane);
            return;
        }
        int[] argb = img.getRGB(0, 0, sw, sh, null, 0, sw);
        int n = sw * sh;
        if (channels == 1) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                int p = argb[i];
                int r = (p >> 16) & 0xFF;
                int gr = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                double luma = 0.299 * r + 0.587 * gr + 0.114 * b;
                g[i] = bytes ? (r == gr && gr == b ? r : (float) luma) : r == gr && gr == b ? r / 255f : (float) (luma / 255);
            }
            ImageResizer.resize(g, sw, sh, out, offset, width, height);
            return;
        }
        float[] ch = new float[n];
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            for (int i = 0; i < n; i++) ch[i] = bytes ? (argb[i] >> shift) & 0xFF : ((argb[i] >> shift) & 0xFF) / 255f;
            ImageResizer.resize(ch, sw, sh, out, offset + c * plane, width, height);
        }
    }

    private static boolean isGray(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                int r = icm.getRed(i);
                if (r != icm.getGreen(i) || r != icm.getBlue(i)) return false;
            }
            return true;
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
