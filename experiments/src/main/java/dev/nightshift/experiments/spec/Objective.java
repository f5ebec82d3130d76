package dev.nightshift.experiments.spec;

import java.util.Objects;

/**
 * The metric a run is judged by and whether lower or higher is better. The metric's last reported value is the
 * run's objective value (SPEC section 3).
 *
 * @param metric name of the metric as the training command reports it, e.g. {@code val_loss}
 * @param goal the better direction; {@link Goal#MINIMIZE} when a spec leaves it out, as in Optuna
 */
public record Objective(String metric, Goal goal) {

	public Objective {
		Objects.requireNonNull(metric, "metric");
		Objects.requireNonNull(goal, "goal");
	}
}
