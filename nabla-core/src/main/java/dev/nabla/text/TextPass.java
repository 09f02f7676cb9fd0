package dev.nabla.text;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One pass over a set of texts that need not be in memory at once (files read one after another), for
 * {@link Tokenizer#train(TextPass, Tokenizer.Options)}: each call hands every text to {@code each}, always in the same
 * order and on the calling thread, so a pass can be made again and gives the same texts.
 */
@FunctionalInterface
public interface TextPass {

    /** Calls {@code each} with every text, in order. */
    void forEach(Consumer<String> each) throws IOException;
}
