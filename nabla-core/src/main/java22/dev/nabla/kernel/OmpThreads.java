package dev.nabla.kernel;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link GemmThreads} through libgomp's {@code omp_set_num_threads} (Java 22+): the OpenMP runtime oneDNN was built
 * with and JavaCPP loaded beside it. The setting belongs to the calling thread, so a small product sets one thread,
 * runs, and sets the team's size back before anything else of oneDNN's runs on that thread. Loaded by name only on
 * Java 22 and later ({@link GemmThreads#choose}).
 */
final class OmpThreads implements GemmThreads {

    private final long serialMacs;
    private final MethodHandle setNumThreads;
    private final MethodHandle getMaxThreads;
    /** The team's size as the environment set it ({@code OMP_NUM_THREADS}, else the cores). */
    private final int team;

    OmpThreads(long serialMacs) throws Throwable {
        this.serialMacs = serialMacs;
        Loader.load(dnnl.class);
        // dlopen of the soname finds the copy JavaCPP already loaded for oneDNN
        SymbolLookup gomp = SymbolLookup.libraryLookup("libgomp.so.1", Arena.global());
        Linker linker = Linker.nativeLinker();
        MemorySegment set = gomp.find("omp_set_num_threads").orElseThrow();
        MemorySegment max = gomp.find("omp_get_max_threads").orElseThrow();
        setNumThreads = linker.downcallHandle(set, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT), Linker.Option.critical(false));
        getMaxThreads = linker.downcallHandle(max, FunctionDescriptor.of(ValueLayout.JAVA_INT), Linker.Option.critical(false));
        team = (int) getMaxThreads.invokeExact();
    }

    @Override
    public boolean serial(int m, int n, int k) {
        if (team <= 1 || (long) m * n * k > serialMacs) return false;
        threads(1);
        return true;
    }

    @Override
    public void restore() {
        threads(team);
    }

    @Override
    public int teamNow() {
        try {
            return (int) getMaxThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("omp_get_max_threads failed: " + t, t);
        }
    }

    private void threads(int count) {
        try {
            setNumThreads.invokeExact(count);
        } catch (Throwable t) {
            throw new IllegalStateException("omp_set_num_threads failed: " + t, t);
        }
    }
}
