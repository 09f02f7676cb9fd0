package dev.nabla.optim;

/**
 * Cosine annealing from the base rate down to {@code etaMin} over {@code tMax} epochs:
 * {@code etaMin + (baseLr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}. This is the closed form of
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}; past {@code tMax} the rate climbs back up the cosine, as
 * PyTorch's does (no restarts).
 */
public record CosineAnnealing(int tMax, double etaMin) implements LearningRateSchedule {

    public CosineAnnealing {
        if (tMax < 1) throw new IllegalArgumentException("CosineAnnealing: tMax must be >= 1, got " + tMax);
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealing: etaMin must be a finite number >= 0, got " + etaMin);
        }
    }

    /** Anneals to zero. */
    public CosineAnnealing(int tMax) {
        this(tMax, 0);
    }

    @Override
    public float learningRate(int epoch, float baseLr) {
        return (float) (etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2);
    }
}
