package dev.nabla.serve;

import dev.nabla.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** A served model with what the server keeps for it: its input preparation and its batcher. */
record ModelSlot(ServedModel model, ModelInputs inputs, Batcher batcher) {

    /** The prediction objects for {@code x}, predicted in a batch; with the request's ticket. */
    List<Map<String, Object>> predict(Batcher.Ticket ticket, Tensor x, List<Object> names) throws InterruptedException {
        Tensor out = ticket.predict(x);
        return model.format().predictions(out, names);
    }
}
