package dev.nabla.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Handles on C functions through the foreign-function API, reached through reflection because Nabla compiles for
 * Java 21, where that API is still a preview (it is final from JDK 22). Layouts are named by their
 * {@code java.lang.foreign.ValueLayout} constants, e.g. {@code "JAVA_INT"} or {@code "ADDRESS"}.
 */
final class ForeignCalls {

    private ForeignCalls() {
    }

    /**
     * A downcall handle on {@code name} from the C library and the other libraries the JDK's linker knows
     * ({@code Linker.defaultLookup()}), or null where it cannot be had (before JDK 22, no such symbol, no access).
     */
    static MethodHandle inDefaultLibraries(String name, String returnLayout, String... argumentLayouts) {
        return downcall(false, name, returnLayout, argumentLayouts);
    }

    /**
     * A downcall handle on {@code name} from the libraries this class loader has loaded
     * ({@code SymbolLookup.loaderLookup()}, e.g. oneDNN's {@code libgomp} loaded through JavaCPP), or null where it
     * cannot be had.
     */
    static MethodHandle inLoadedLibraries(String name, String returnLayout, String... argumentLayouts) {
        return downcall(true, name, returnLayout, argumentLayouts);
    }

    /** {@code returnLayout} null: a {@code void} function. */
    private static MethodHandle downcall(boolean loaderLookup, String name, String returnLayout,
                                         String... argumentLayouts) {
        if (Runtime.version().feature() < 22) return null;
        try {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");

            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            // loaderLookup is caller-sensitive: called reflectively from here, it sees this class's loader, the one
            // that loaded oneDNN and its libgomp through JavaCPP
            Object lookup = loaderLookup
                    ? lookupClass.getMethod("loaderLookup").invoke(null)
                    : linkerClass.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) lookupClass.getMethod("find", String.class).invoke(lookup, name);
            if (symbol.isEmpty()) return null;
            Object arguments = Array.newInstance(layoutClass, argumentLayouts.length);
            for (int i = 0; i < argumentLayouts.length; i++) {
                Array.set(arguments, i, valueLayoutClass.getField(argumentLayouts[i]).get(null));
            }
            Object descriptor = returnLayout == null
                    ? descriptorClass.getMethod("ofVoid", layoutClass.arrayType()).invoke(null, arguments)
                    : descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType())
                            .invoke(null, valueLayoutClass.getField(returnLayout).get(null), arguments);
            return (MethodHandle) linkerClass
                    .getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType())
                    .invoke(linker, symbol.get(), descriptor, Array.newInstance(optionClass, 0));
        } catch (Throwable unavailable) {
            // no foreign-function access (older JDK, a restricted runtime)
            return null;
        }
    }
}
