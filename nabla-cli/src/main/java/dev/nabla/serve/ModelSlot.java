package dev.nabla.serve;

/** A served model with what the server keeps for it: its input preparation and its batcher. */
record ModelSlot(ServedModel model, ModelInputs inputs, Batcher batcher) {
}
