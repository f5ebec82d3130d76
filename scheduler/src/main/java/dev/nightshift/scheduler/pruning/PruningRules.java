package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.Pruning;
import java.time.Duration;
import java.util.Optional;

/** Turns a spec's {@code pruning} block into the rule that applies it, with the warmup and rungs in seconds. */
public final class PruningRules {

	private PruningRules() {}

	/** The experiment's rule; empty when its spec has no {@code pruning} block. */
	public static Optional<PruningRule> of(ExperimentSpec spec) {
		Pruning pruning = spec.pruning();
		if (pruning == null) {
			return Optional.empty();
		}
		Duration budget = spec.budget().run();
		double budgetSeconds = budget.toNanos() / 1e9;
		Warmup warmup = pruning.warmup().steps() > 0 ? Warmup.ofSteps(pruning.warmup().steps())
				: pruning.warmup().fraction() > 0 ? Warmup.ofFraction(pruning.warmup().fraction(), budgetSeconds)
				: Warmup.ofSeconds(pruning.warmup().seconds(budget));
		return Optional.of(switch (pruning.rule()) {
			case MEDIAN -> new MedianStoppingRule(pruning.metric(), pruning.goal(), warmup, pruning.minRuns());
			case ASHA -> new AshaRule(pruning.metric(), pruning.goal(), warmup, pruning.minRuns(),
					pruning.reductionFactor(), pruning.rungs(), budgetSeconds);
		});
	}
}
