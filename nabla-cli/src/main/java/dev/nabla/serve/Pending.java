package dev.nabla.serve;

import dev.nabla.tensor.Tensor;

import java.io.IOException;

/**
 * A request routed up to its prediction: the model, its input rows and how the output becomes the answer; or, where
 * there is nothing to predict (a health check, a refusal), the answer itself. {@link Router#begin} makes one without
 * waiting, so that a thread which must not block (an event loop) can predict several requests in one batch and then
 * {@link Router#end} each.
 */
final class Pending {

    /** Turns the model's outputs for {@link #x} into the answer. */
    @FunctionalInterface
    interface Finish {
        Response answer(Tensor output) throws IOException;
    }

    final ModelSlot slot;
    final Tensor x;
    final Finish finish;
    /** The answer where nothing is to be predicted; then {@link #slot}, {@link #x} and {@link #finish} are null. */
    final Response ready;
    /** Set by the router: when the request came, and the model it named ("" for none), for the metrics. */
    long start;
    String model = "";

    Pending(ModelSlot slot, Tensor x, Finish finish) {
        this.slot = slot;
        this.x = x;
        this.finish = finish;
        this.ready = null;
    }

    private Pending(Response ready) {
        this.slot = null;
        this.x = null;
        this.finish = null;
        this.ready = ready;
    }

    /** An answer with nothing left to predict. */
    static Pending ready(Response response) {
        return new Pending(response);
    }
}
