package dev.nabla.kernel;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;

/**
 * The native objects built together for one set of oneDNN primitives: memories, primitives with their argument lists,
 * and primitive descriptors, all closed together. A memory is a layout without a buffer of its own: each call points
 * it at a buffer, by default the scratch buffer of its slot ({@link Scratch}, shared by every set of one owner, as
 * calls hold {@link OneDnn#LOCK} and finish with their data).
 */
final class OneDnnParts implements AutoCloseable {

    private final dnnl_engine engine;
    private final dnnl_stream stream;
    private final Scratch scratch;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<dnnl_primitive_desc> descs = new ArrayList<>();
    private int slots;

    OneDnnParts(dnnl_engine engine, dnnl_stream stream, Scratch scratch) {
        this.engine = engine;
        this.stream = stream;
        this.scratch = scratch;
    }

    /** Scratch buffers by slot, grown on demand and kept. */
    static final class Scratch {
        private final List<NativeFloats> buffers = new ArrayList<>();

        NativeFloats get(int slot, long floats) {
            while (buffers.size() <= slot) buffers.add(null);
            NativeFloats b = buffers.get(slot);
            if (b == null || b.floats < floats) {
                if (b != null) b.close();
                b = new NativeFloats(floats);
                buffers.set(slot, b);
            }
            return b;
        }
    }

    /** Keeps {@code pd} to be destroyed with the rest; returns it. */
    dnnl_primitive_desc keep(dnnl_primitive_desc pd) {
        descs.add(pd);
        return pd;
    }

    /** A memory descriptor of {@code pd} (owned by it, valid while it lives). */
    static dnnl_memory_desc query(dnnl_primitive_desc pd, int what, int index) {
        return dnnl.dnnl_primitive_desc_query_md(pd, what, index);
    }

    /** A memory in layout {@code md}, with a scratch slot of its own. */
    Mem memory(dnnl_memory_desc md) {
        return new Mem(md);
    }

    /** {@code have} itself when it already is in the {@code wanted} layout, else a new memory in that layout. */
    Mem converted(Mem have, dnnl_memory_desc wanted) {
        return dnnl.dnnl_memory_desc_equal(have.desc, wanted) != 0 ? have : new Mem(wanted);
    }

    /** The reorder from one memory to the other, or null when they are the same memory. */
    Prim reorder(Mem from, Mem to) {
        if (from == to) return null;
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        OneDnn.check(dnnl.dnnl_reorder_primitive_desc_create(pd, from.desc, engine, to.desc, engine, OneDnn.USER_SCRATCHPAD),
                "set up a layout reorder");
        keep(pd);
        return new Prim(pd, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
    }

    /** The primitive of {@code pd} with its arguments: pairs of argument kind ({@code DNNL_ARG_...}) and memory. */
    Prim primitive(dnnl_primitive_desc pd, Object... kindsAndMemories) {
        return new Prim(pd, kindsAndMemories);
    }

    /** Waits for the primitives run so far: their outputs can be read after this. */
    void finish() {
        OneDnn.check(dnnl.dnnl_stream_wait(stream), "wait for oneDNN");
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception ignored) {
                // Mem and Prim close native handles and throw nothing; AutoCloseable only says they may
            }
        }
        for (dnnl_primitive_desc pd : descs) dnnl.dnnl_primitive_desc_destroy(pd);
    }

    /** A memory: a layout, and the buffer the current call points it at. */
    final class Mem implements AutoCloseable {
        final dnnl_memory memory = new dnnl_memory();
        /** The memory's own copy of its descriptor. */
        final dnnl_memory_desc desc;
        final long floats;
        private final int slot = slots++;
        NativeFloats buffer;

        private Mem(dnnl_memory_desc md) {
            OneDnn.check(dnnl.dnnl_memory_create(memory, md, engine, null), "create a memory");
            owned.add(this);
            dnnl_memory_desc own = new dnnl_memory_desc();
            OneDnn.check(dnnl.dnnl_memory_get_memory_desc(memory, own), "read a memory's descriptor");
            desc = own;
            floats = NativeFloats.forBytes(dnnl.dnnl_memory_desc_get_size(md));
        }

        /** Points the memory at {@code b} (at least {@link #floats} long). */
        Mem on(NativeFloats b) {
            OneDnn.check(dnnl.dnnl_memory_set_data_handle(memory, b.pointer()), "attach a buffer");
            buffer = b;
            return this;
        }

        /** Points the memory at its scratch slot's buffer. */
        Mem onScratch() {
            return on(scratch.get(slot, floats));
        }

        @Override
        public void close() {
            dnnl.dnnl_memory_destroy(memory);
        }
    }

    /**
     * A primitive with its argument list, and its scratchpad (descriptors are made with {@link OneDnn#USER_SCRATCHPAD})
     * on a scratch slot of its own: calls are serialised, so one buffer per primitive is never used twice at once.
     */
    final class Prim implements AutoCloseable {
        private final dnnl_primitive primitive = new dnnl_primitive();
        private final dnnl_exec_arg_t args;
        private final int count;
        private final Mem scratchpad;

        private Prim(dnnl_primitive_desc pd, Object... kindsAndMemories) {
            OneDnn.check(dnnl.dnnl_primitive_create(primitive, pd), "create a primitive");
            owned.add(this);
            dnnl_memory_desc scratchpadMd = query(pd, dnnl.dnnl_query_scratchpad_md, 0);
            scratchpad = scratchpadMd != null && !scratchpadMd.isNull() && dnnl.dnnl_memory_desc_get_size(scratchpadMd) > 0
                    ? new Mem(scratchpadMd) : null;
            int given = kindsAndMemories.length / 2;
            count = given + (scratchpad != null ? 1 : 0);
            args = new dnnl_exec_arg_t(count);
            for (int i = 0; i < given; i++) {
                args.position(i).arg((Integer) kindsAndMemories[2 * i])
                        .memory(((Mem) kindsAndMemories[2 * i + 1]).memory);
            }
            if (scratchpad != null) args.position(given).arg(DNNL_ARG_SCRATCHPAD).memory(scratchpad.memory);
            args.position(0);
        }

        void run() {
            if (scratchpad != null) scratchpad.onScratch();
            OneDnn.check(dnnl.dnnl_primitive_execute(primitive, stream, count, args), "run a primitive");
        }

        @Override
        public void close() {
            dnnl.dnnl_primitive_destroy(primitive);
            args.close();
        }
    }
}
