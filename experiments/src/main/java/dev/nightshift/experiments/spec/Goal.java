package dev.nightshift.experiments.spec;

import java.util.Locale;
import java.util.Optional;

/** Which direction of the objective metric is better. */
public enum Goal {
	MINIMIZE,
	MAXIMIZE;

	/** The spelling used in YAML and JSON: {@code minimize} or {@code maximize}. */
	public String text() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Reads a goal, ignoring case; {@code min} and {@code max} are accepted too because Optuna users write them.
	 */
	public static Optional<Goal> fromText(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "minimize", "min" -> Optional.of(MINIMIZE);
			case "maximize", "max" -> Optional.of(MAXIMIZE);
			default -> Optional.empty();
		};
	}
}
