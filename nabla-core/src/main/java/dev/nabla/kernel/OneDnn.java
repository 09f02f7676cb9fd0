package dev.nabla.kernel;

import org.bytedeco.dnnl.dnnl_primitive_attr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;

/** What Nabla's oneDNN primitives share: the lock every call holds, status checks and memory descriptors. */
final class OneDnn {

    /**
     * Held around every use of oneDNN's primitives: oneDNN built on OpenMP corrupted the native heap when two Java
     * threads called it at once.
     */
    static final Object LOCK = new Object();

    /**
     * Primitive attributes asking for a scratchpad that Nabla passes to every execution ({@code DNNL_ARG_SCRATCHPAD},
     * see {@code OneDnnParts.Prim}). oneDNN's default, a library scratchpad shared per thread, ties each primitive to
     * the thread that created it; Nabla's primitives are cached and run from whichever thread calls (a server's, a
     * test's), and a primitive created on a thread that had ended crashed the JVM. Read-only after creation: every
     * primitive descriptor takes a copy.
     */
    static final dnnl_primitive_attr USER_SCRATCHPAD = userScratchpad(null);

    /** {@code attr} (a new one when null) set to a user-managed scratchpad. */
    static dnnl_primitive_attr userScratchpad(dnnl_primitive_attr attr) {
        if (attr == null) {
            attr = new dnnl_primitive_attr();
            check(dnnl.dnnl_primitive_attr_create(attr), "create primitive attributes");
        }
        check(dnnl.dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl.dnnl_scratchpad_mode_user), "ask for a user scratchpad");
        return attr;
    }

    private OneDnn() {
    }

    /**
     * A cache of built primitives that keeps the {@code max} most recently used and closes the eldest beyond that,
     * unless {@code inUse} says it is still needed (then the cache grows for now).
     */
    static <K, V extends AutoCloseable> Map<K, V> recentlyUsed(int max, Predicate<V> inUse) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() <= max || inUse.test(eldest.getValue())) return false;
                try {
                    eldest.getValue().close();
                } catch (Exception e) {
                    throw new IllegalStateException("oneDNN: could not free a primitive", e);
                }
                return true;
            }
        };
    }

    static dnnl_engine cpuEngine() {
        dnnl_engine engine = new dnnl_engine();
        check(dnnl.dnnl_engine_create(engine, dnnl.dnnl_cpu, 0), "create the CPU engine");
        return engine;
    }

    static dnnl_stream stream(dnnl_engine engine) {
        dnnl_stream stream = new dnnl_stream();
        check(dnnl.dnnl_stream_create(stream, engine, dnnl.dnnl_stream_default_flags), "create a stream");
        return stream;
    }

    static void check(int status, String what) {
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN could not " + what + " (status " + status + ")");
        }
    }

    /** Memory descriptors made for one set-up, destroyed after it (primitives and memories keep their own copies). */
    static final class Descs implements AutoCloseable {
        private final List<dnnl_memory_desc> made = new ArrayList<>();

        /** Float dimensions in whatever layout the primitive prefers. */
        dnnl_memory_desc any(long[] dims) {
            return tagged(dims, dnnl.dnnl_format_tag_any);
        }

        /** Dimensions of type {@code dataType} in whatever layout the primitive prefers. */
        dnnl_memory_desc any(long[] dims, int dataType) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl.dnnl_memory_desc_create_with_tag(md, dims.length, dims, dataType, dnnl.dnnl_format_tag_any),
                    "describe a " + dims.length + "-d memory");
            made.add(md);
            return md;
        }

        /** Float dimensions in a given layout ({@code dnnl_nchw}, {@code dnnl_oihw}, {@code dnnl_x}, ...). */
        dnnl_memory_desc tagged(long[] dims, int tag) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl.dnnl_memory_desc_create_with_tag(md, dims.length, dims, dnnl.dnnl_f32, tag),
                    "describe a " + dims.length + "-d memory");
            made.add(md);
            return md;
        }

        /**
         * Dimensions of type {@code dataType} ({@code dnnl_f32}, {@code dnnl_bf16}) with explicit strides, in
         * elements (a row-major matrix with a leading dimension, ...).
         */
        dnnl_memory_desc strided(long[] dims, long[] strides, int dataType) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl.dnnl_memory_desc_create_with_strides(md, dims.length, dims, dataType, strides),
                    "describe a strided " + dims.length + "-d memory");
            made.add(md);
            return md;
        }

        @Override
        public void close() {
            for (dnnl_memory_desc md : made) dnnl.dnnl_memory_desc_destroy(md);
        }
    }
}
