package dev.nabla.kernel;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) on contiguous NCHW float arrays, forward and backward.
 *
 * <p>Each image is unfolded into a column matrix (im2col, {@code C*KH*KW} rows) so that the convolution is one GEMM
 * with the {@code F x C*KH*KW} weight; the input gradient is the transposed GEMM followed by col2im. The batch is
 * split into one contiguous range of images per thread, each thread with its own reusable buffers; small images are
 * unfolded several at a time into one wider GEMM. A 1x1, stride-1, unpadded convolution needs no unfolding: the image
 * already is its column matrix. For stride 1 the forward and weight-gradient passes may use {@link ConvLayout}'s
 * shifted unfolding, which replaces the many short copies of im2col by a few long ones. A grouped convolution
 * (depthwise among them) runs one GEMM per group on the same column matrix, whose rows are listed channel by channel;
 * padding may differ between the two sides of an axis.
 *
 * <p>With the native kernels loaded, the public entry points run oneDNN's convolution primitives instead
 * ({@link OneDnnConvolution}) and keep im2col and GEMM for geometries oneDNN does not take.
 */
public final class Conv2dKernels {

    /** Below about this many multiply-adds per thread, a hand-off to another thread costs more than it saves. */
    private static final long MIN_TASK_MACS = 1L << 19;

    // per-thread scratch, grown on demand and kept, so steady-state training allocates (almost) nothing here
    private static final ThreadLocal<float[]> COLUMNS = new ThreadLocal<>();
    private static final ThreadLocal<float[]> ROWS = new ThreadLocal<>();

    private Conv2dKernels() {
    }

    /** {@code output = conv2d(input, weight) + bias}; {@code bias} may be null. Overwrites {@code output}. */
    public static void forward(ConvGeometry g, float[] input, float[] weight, float[] bias, float[] output) {
        forward(g, input, weight, bias, output, false);
    }

    /**
     * The same, then ReLU in place when {@code relu} is set ({@code max(y, 0)}, as each output block is written where
     * oneDNN runs the convolution).
     */
    public static void forward(ConvGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                               boolean relu) {
        checkLength("input", input, g.inputSize());
        checkLength("weight", weight, g.weightSize());
        if (bias != null) checkLength("bias", bias, g.outChannels());
        checkLength("output", output, g.outputSize());
        OneDnnConvolution primitives = Kernels.convolution();
        if (primitives != null && primitives.forward(g, input, weight, bias, output, relu)) return;
        forwardGemm(g, input, weight, bias, output, prefersShifted(g));
        if (relu) {
            Parallel.forRange(g.outputSize(), 1 << 15, (s, e) -> {
                for (int i = s; i < e; i++) output[i] = Math.max(output[i], 0f);
            });
        }
    }

    /** {@code gradInput} = gradient of the loss with respect to the input. Overwrites {@code gradInput}. */
    public static void backwardInput(ConvGeometry g, float[] gradOutput, float[] weight, float[] gradInput) {
        checkLength("gradOutput", gradOutput, g.outputSize());
        checkLength("weight", weight, g.weightSize());
        checkLength("gradInput", gradInput, g.inputSize());
        OneDnnConvolution primitives = Kernels.convolution();
        if (primitives != null && primitives.backwardInput(g, gradOutput, weight, gradInput)) return;
        // always the general layout: the shifted one's fold measured no faster, as its long adds between two float
        // arrays do not vectorise (C2 cannot rule out that they alias) and its GEMM is wider
        ConvLayout layout = new ConvLayout(g, false);
        int tasks = taskCount(g);
        forEachTask(tasks, (start, end) -> {
            for (int t = start; t < end; t++) {
                backwardInputImages(layout, gradOutput, weight, gradInput, firstImage(g, t, tasks),
                        firstImage(g, t + 1, tasks));
            }
        });
    }

    /**
     * {@code gradWeight} (and {@code gradBias} unless null) = gradients of the loss with respect to weight and bias.
     * Overwrites both.
     */
    public static void backwardWeight(ConvGeometry g, float[] input, float[] gradOutput,
                                      float[] gradWeight, float[] gradBias) {
        checkLength("input", input, g.inputSize());
        checkLength("gradOutput", gradOutput, g.outputSize());
        checkLength("gradWeight", gradWeight, g.weightSize());
        if (gradBias != null) checkLength("gradBias", gradBias, g.outChannels());
        OneDnnConvolution primitives = Kernels.convolution();
        if (primitives != null && primitives.backwardWeight(g, input, gradOutput, gradWeight, gradBias)) return;
        backwardWeightGemm(g, input, gradOutput, gradWeight, gradBias, prefersShifted(g));
    }

    /**
     * Whether the shifted unfolding pays: it trades im2col's {@code C*KH*KW*outH} short copies per image for a GEMM
     * wider by the junk columns and {@code F*outH} short copies of the product, so it needs few junk columns (at most
     * a quarter) and more unfolded rows than output channels. Measured (forward and weight gradient, one thread): ~4%
     * faster on the CNN's 32->64 layer on 13x13, ~20% on padded 3x3 layers on 32x32 and 8x8; 10-30% slower on its
     * 1->32 layer, whose 9 rows the rule leaves on im2col.
     */
    static boolean prefersShifted(ConvGeometry g) {
        long rows = (long) g.groupInChannels() * g.kernelH() * g.kernelW();
        return g.strideH() == 1 && g.strideW() == 1 && 4L * g.outW() >= 3L * g.paddedWidth()
                && rows >= 2L * g.groupOutChannels();
    }

    // ---- with the unfolding chosen (package-private, so that the tests can run both on one geometry) --------------

    static void forwardGemm(ConvGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                            boolean shifted) {
        checkLength("input", input, g.inputSize());
        checkLength("weight", weight, g.weightSize());
        if (bias != null) checkLength("bias", bias, g.outChannels());
        checkLength("output", output, g.outputSize());
        ConvLayout layout = new ConvLayout(g, shifted);
        int tasks = taskCount(g);
        forEachTask(tasks, (start, end) -> {
            for (int t = start; t < end; t++) {
                forwardImages(layout, input, weight, bias, output, firstImage(g, t, tasks),
                        firstImage(g, t + 1, tasks));
            }
        });
    }

    static void backwardWeightGemm(ConvGeometry g, float[] input, float[] gradOutput, float[] gradWeight,
                                   float[] gradBias, boolean shifted) {
        checkLength("input", input, g.inputSize());
        checkLength("gradOutput", gradOutput, g.outputSize());
        checkLength("gradWeight", gradWeight, g.weightSize());
        if (gradBias != null) checkLength("gradBias", gradBias, g.outChannels());
        ConvLayout layout = new ConvLayout(g, shifted);
        int f = g.outChannels();
        int fg = layout.fg;
        int kg = layout.kg;
        int tasks = taskCount(g);
        // each thread sums its images into its own partials, added up after: no locks, and the result depends only
        // on the thread count, not on timing. The partial is gradWeight transposed (K x F): oneDNN computes
        // col * gradOut^T up to twice as fast as gradOut * col^T when K or F is small (measured), and the
        // transposition is folded into the final sum. With groups, the partial holds one Kg x Fg block per group
        float[][] weightParts = new float[tasks][];
        double[][] biasParts = new double[tasks][];
        forEachTask(tasks, (start, end) -> {
            for (int t = start; t < end; t++) {
                float[] acc = new float[kg * f];
                double[] biasAcc = gradBias == null ? null : new double[f];
                backwardWeightImages(layout, input, gradOutput, acc, biasAcc, firstImage(g, t, tasks),
                        firstImage(g, t + 1, tasks));
                weightParts[t] = acc;
                biasParts[t] = biasAcc;
            }
        });
        for (int oc = 0; oc < f; oc++) {
            int block = (oc / fg) * kg * fg;
            int column = oc % fg;
            for (int r = 0; r < kg; r++) {
                float sum = 0f;
                for (int t = 0; t < tasks; t++) sum += weightParts[t][block + r * fg + column];
                gradWeight[oc * kg + r] = sum;
            }
        }
        if (gradBias != null) {
            for (int oc = 0; oc < f; oc++) {
                double sum = 0;
                for (int t = 0; t < tasks; t++) sum += biasParts[t][oc];
                gradBias[oc] = (float) sum;
            }
        }
    }

    // ---- per-thread bodies -----------------------------------------------------------------------------------------

    private static void forwardImages(ConvLayout l, float[] input, float[] weight, float[] bias, float[] output,
                                      int n0, int n1) {
        Gemm gemm = Kernels.gemm();
        int f = l.f, k = l.k, p = l.p, fg = l.fg, kg = l.kg;
        if (l.pointwise) {
            for (int n = n0; n < n1; n++) {
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(false, false, fg, p, kg, 1f, weight, gi * fg * kg, kg, input,
                            n * l.inImage + gi * kg * p, p, 0f, output, n * f * p + gi * fg * p, p);
                }
                if (bias != null) addBias(output, n * f * p, bias, f, p);
            }
            return;
        }
        int block = l.blockImages(n1 - n0);
        float[] col = scratch(COLUMNS, k * block * l.span);
        float[] rows = l.direct(block) ? null : scratch(ROWS, f * block * l.span);
        for (int n = n0; n < n1; n += block) {
            int b = Math.min(block, n1 - n);
            int ld = b * l.span;
            for (int i = 0; i < b; i++) l.unfold(input, n + i, col, i * l.span, ld);
            if (l.direct(b)) {
                // one image, one column per output pixel: the product already is the image's F x P output
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(false, false, fg, p, kg, 1f, weight, gi * fg * kg, kg, col, gi * kg * p, p, 0f, output,
                            n * f * p + gi * fg * p, p);
                }
                if (bias != null) addBias(output, n * f * p, bias, f, p);
            } else {
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(false, false, fg, ld, kg, 1f, weight, gi * fg * kg, kg, col, gi * kg * ld, ld, 0f, rows,
                            gi * fg * ld, ld);
                }
                for (int i = 0; i < b; i++) l.scatter(rows, i * l.span, ld, bias, output, n + i);
            }
        }
    }

    private static void backwardInputImages(ConvLayout l, float[] gradOutput, float[] weight, float[] gradInput,
                                            int n0, int n1) {
        Gemm gemm = Kernels.gemm();
        int f = l.f, k = l.k, p = l.p, fg = l.fg, kg = l.kg;
        if (l.pointwise) {
            for (int n = n0; n < n1; n++) {
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(true, false, kg, p, fg, 1f, weight, gi * fg * kg, kg, gradOutput,
                            n * f * p + gi * fg * p, p, 0f, gradInput, n * l.inImage + gi * kg * p, p);
                }
            }
            return;
        }
        int block = l.blockImages(n1 - n0);
        float[] col = scratch(COLUMNS, k * block * l.span);
        float[] rows = l.direct(block) ? null : scratch(ROWS, f * block * l.span);
        for (int n = n0; n < n1; n += block) {
            int b = Math.min(block, n1 - n);
            int ld = b * l.span;
            if (l.direct(b)) {
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(true, false, kg, p, fg, 1f, weight, gi * fg * kg, kg, gradOutput,
                            n * f * p + gi * fg * p, p, 0f, col, gi * kg * p, p);
                }
            } else {
                for (int i = 0; i < b; i++) l.gather(gradOutput, n + i, rows, i * l.span, ld);
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(true, false, kg, ld, fg, 1f, weight, gi * fg * kg, kg, rows, gi * fg * ld, ld, 0f, col,
                            gi * kg * ld, ld);
                }
            }
            for (int i = 0; i < b; i++) l.fold(col, i * l.span, ld, gradInput, n + i);
        }
    }

    private static void backwardWeightImages(ConvLayout l, float[] input, float[] gradOutput, float[] acc,
                                             double[] biasAcc, int n0, int n1) {
        Gemm gemm = Kernels.gemm();
        int f = l.f, k = l.k, p = l.p, fg = l.fg, kg = l.kg;
        if (biasAcc != null) {
            for (int n = n0; n < n1; n++) {
                for (int oc = 0; oc < f; oc++) biasAcc[oc] += sum(gradOutput, (n * f + oc) * p, p);
            }
        }
        if (l.pointwise) {
            for (int n = n0; n < n1; n++) {
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(false, true, kg, fg, p, 1f, input, n * l.inImage + gi * kg * p, p, gradOutput,
                            n * f * p + gi * fg * p, p, n == n0 ? 0f : 1f, acc, gi * kg * fg, fg);
                }
            }
            return;
        }
        int block = l.blockImages(n1 - n0);
        float[] col = scratch(COLUMNS, k * block * l.span);
        float[] rows = l.direct(block) ? null : scratch(ROWS, f * block * l.span);
        for (int n = n0; n < n1; n += block) {
            int b = Math.min(block, n1 - n);
            int ld = b * l.span;
            for (int i = 0; i < b; i++) l.unfold(input, n + i, col, i * l.span, ld);
            float beta = n == n0 ? 0f : 1f;
            if (l.direct(b)) {
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(false, true, kg, fg, p, 1f, col, gi * kg * p, p, gradOutput, n * f * p + gi * fg * p, p,
                            beta, acc, gi * kg * fg, fg);
                }
            } else {
                // gradWeight^T += col (K x b*span) * gradOut^T: the block's images sum inside one long GEMM
                for (int i = 0; i < b; i++) l.gather(gradOutput, n + i, rows, i * l.span, ld);
                for (int gi = 0; gi < l.groups; gi++) {
                    gemm.sgemm(false, true, kg, fg, ld, 1f, col, gi * kg * ld, ld, rows, gi * fg * ld, ld, beta, acc,
                            gi * kg * fg, fg);
                }
            }
        }
    }

    /** Sum of {@code a[offset .. offset+n)}; four accumulators, as one serial chain of float adds would be 4x slower. */
    private static float sum(float[] a, int offset, int n) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[offset + i];
            s1 += a[offset + i + 1];
            s2 += a[offset + i + 2];
            s3 += a[offset + i + 3];
        }
        for (; i < n; i++) s0 += a[offset + i];
        return (s0 + s1) + (s2 + s3);
    }

    private static void addBias(float[] out, int offset, float[] bias, int f, int p) {
        for (int oc = 0; oc < f; oc++) {
            float bv = bias[oc];
            int base = offset + oc * p;
            for (int j = 0; j < p; j++) out[base + j] += bv;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    static float[] scratch(ThreadLocal<float[]> slot, int size) {
        float[] buffer = slot.get();
        if (buffer == null || buffer.length < size) {
            buffer = new float[size];
            slot.set(buffer);
        }
        return buffer;
    }

    private static void checkLength(String name, float[] array, int needed) {
        if (array == null) throw new IllegalArgumentException("conv2d: " + name + " is null");
        if (array.length < needed) {
            throw new IllegalArgumentException("conv2d: " + name + " has " + array.length + " floats, the geometry needs "
                    + needed);
        }
    }

    /** Runs {@code body} over tasks {@code [0, tasks)} on Nabla's threads. */
    private static void forEachTask(int tasks, Parallel.RangeBody body) {
        Parallel.forRange(tasks, 1, body);
    }

    /** Threads to split the batch over: at most one per image, and fewer when the convolution is small. */
    private static int taskCount(ConvGeometry g) {
        // a kernel that must not be called from several threads at once gets the whole batch on one thread
        if (!Kernels.gemm().allowsConcurrentCalls()) return 1;
        long macs = (long) g.batch() * g.outChannels() * g.groupInChannels() * g.kernelH() * g.kernelW()
                * g.outH() * g.outW();
        long byWork = Math.max(1, macs / MIN_TASK_MACS);
        return (int) Math.min(Math.min(Parallel.threads(), g.batch()), byWork);
    }

    /** The first image of task {@code t} of {@code tasks} (contiguous, near-equal ranges). */
    private static int firstImage(ConvGeometry g, int t, int tasks) {
        return (int) ((long) g.batch() * t / tasks);
    }
}
