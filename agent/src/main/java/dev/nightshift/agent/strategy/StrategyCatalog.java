package dev.nightshift.agent.strategy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.nightshift.agent.Proposer;
import org.springframework.stereotype.Component;

/**
 * The built-in strategies by name: {@code random}, {@code tpe} (the default) and {@code evolution}. Each
 * strategy is stateless, so one instance serves every experiment and thread.
 */
@Component
public class StrategyCatalog {

	/** The strategy used when none is named: the model-based one. */
	public static final String DEFAULT = "tpe";

	private final Map<String, Proposer> strategies = new LinkedHashMap<>();

	public StrategyCatalog() {
		strategies.put("random", new RandomSearch());
		strategies.put("tpe", new TreeParzenEstimator());
		strategies.put("evolution", new LocalSearch());
	}

	/**
	 * The strategy with this name, given as {@code tpe} or {@code strategy:tpe}, ignoring case; blank or null
	 * means {@link #DEFAULT}.
	 *
	 * @throws IllegalArgumentException naming the known strategies when there is none by that name
	 */
	public Proposer forName(String name) {
		if (name == null || name.isBlank()) {
			return defaultStrategy();
		}
		String key = name.strip().toLowerCase(Locale.ROOT);
		if (key.startsWith("strategy:")) {
			key = key.substring("strategy:".length());
		}
		Proposer strategy = strategies.get(key);
		if (strategy == null) {
			throw new IllegalArgumentException("Unknown strategy '" + name + "'; known strategies: "
					+ String.join(", ", strategies.keySet()));
		}
		return strategy;
	}

	/** The default strategy, {@code strategy:tpe}. */
	public Proposer defaultStrategy() {
		return strategies.get(DEFAULT);
	}

	/** The names, in a stable order. */
	public Set<String> names() {
		return Collections.unmodifiableSet(strategies.keySet());
	}
}
