package dev.nabla.kernel;

/**
 * How many of oneDNN's OpenMP threads one {@code dnnl_sgemm} call may use: one for a small product, the whole team
 * otherwise.
 *
 * <p>Why: a small product is over before a second thread has woken, and on a shared machine a woken thread often
 * waits for a core. Measured here (2 cores, load average 4.4, {@code OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=2000},
 * median of 400 calls, one thread against two): 32x128x256 10.8 against 108 µs, 32x256x784 68 against 175 µs,
 * 2048x64x64 87 against 170-212 µs, 2048x128x64 160 against 248-311 µs (128x256x784, 277-282 against 384-419 µs,
 * still gained, but a quiet machine should gain from a second thread there). Up to {@link #SERIAL_MACS}
 * multiply-adds (a product of about 0.1-0.2 ms on one core) a call runs on one thread; {@code -Dnabla.gemm.serialMacs=N}
 * moves the bound (0: every call on the whole team, as before).
 *
 * <p>The thread count is OpenMP's per-thread setting ({@code omp_set_num_threads}), set before such a call and
 * restored after it, so oneDNN's other primitives keep the whole team. It needs the foreign-function API (Java 22+,
 * {@code OmpThreads}); on Java 21 every call uses the whole team.
 */
interface GemmThreads {

    /** The default bound: products of at most this many multiply-adds (m * n * k) run on one thread. */
    long SERIAL_MACS = 1L << 24;

    /**
     * Before a product: sets this thread's OpenMP team to one thread when {@code m * n * k} is within the bound and
     * says so; then {@link #restore} must follow the product.
     */
    boolean serial(int m, int n, int k);

    /** Gives this thread's OpenMP team its full size back, after a product {@link #serial} made serial. */
    void restore();

    /** This thread's OpenMP team size now ({@code omp_get_max_threads}), or -1 where there is no control. */
    int teamNow();

    /** Every call on the whole team (Java 21, or the bound set to 0). */
    GemmThreads TEAM = new GemmThreads() {
        @Override
        public boolean serial(int m, int n, int k) {
            return false;
        }

        @Override
        public void restore() {
        }

        @Override
        public int teamNow() {
            return -1;
        }
    };

    /** The OpenMP control where the JVM offers it and libgomp is found, else {@link #TEAM}. */
    static GemmThreads choose() {
        long bound = Long.getLong("nabla.gemm.serialMacs", SERIAL_MACS);
        if (bound <= 0 || Runtime.version().feature() < 22) return TEAM;
        try {
            // by name: the class is compiled for Java 22 and must not be loaded on 21
            return (GemmThreads) Class.forName("dev.nabla.kernel.OmpThreads").getDeclaredConstructor(long.class)
                    .newInstance(bound);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException unavailable) {
            return TEAM;
        }
    }
}
