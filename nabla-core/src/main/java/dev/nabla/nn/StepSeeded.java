package dev.nabla.nn;

/**
 * A module whose randomness during training (e.g. dropout masks) is drawn from a seed given per training step, so
 * a run resumed from a checkpoint draws exactly what the uninterrupted run would have.
 */
public interface StepSeeded {

    /** Called before each training step with a seed derived from the run's seed and the step number. */
    void seedStep(long seed);
}
