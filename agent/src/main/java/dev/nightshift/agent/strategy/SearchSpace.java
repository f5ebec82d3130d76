package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.nightshift.experiments.spec.ExperimentSpec;

/**
 * An experiment's parameters as a box of working coordinates (see {@link Dimension}), in the spec's order.
 * Strategies search in the box and turn points back into parameter values only at the end.
 */
final class SearchSpace {

	private final List<Dimension> dimensions;

	SearchSpace(ExperimentSpec spec) {
		List<Dimension> list = new ArrayList<>();
		spec.parameters().forEach((name, parameter) -> list.add(new Dimension(name, parameter)));
		this.dimensions = List.copyOf(list);
	}

	int size() {
		return dimensions.size();
	}

	Dimension get(int index) {
		return dimensions.get(index);
	}

	List<Dimension> dimensions() {
		return dimensions;
	}

	/** Parameter values as a point; parameters the map lacks take their defaults. */
	double[] encode(Map<String, Object> params) {
		double[] point = new double[dimensions.size()];
		for (int i = 0; i < point.length; i++) {
			Dimension dimension = dimensions.get(i);
			point[i] = dimension.encode(params.get(dimension.name()));
		}
		return point;
	}

	/** A point as the full parameter values of a proposal, in the spec's order. */
	Map<String, Object> decode(double[] point) {
		Map<String, Object> params = new LinkedHashMap<>();
		for (int i = 0; i < point.length; i++) {
			params.put(dimensions.get(i).name(), dimensions.get(i).decode(point[i]));
		}
		return params;
	}

	/** A point drawn uniformly (log-uniformly where the spec says {@code log}). */
	double[] sample(SplittableRandom random) {
		double[] point = new double[dimensions.size()];
		for (int i = 0; i < point.length; i++) {
			point[i] = dimensions.get(i).sample(random);
		}
		return point;
	}

	/** Full parameter values as they compare for equality: one canonical value per parameter, in order. */
	List<Object> key(Map<String, Object> fullParams) {
		List<Object> key = new ArrayList<>(dimensions.size());
		for (Dimension dimension : dimensions) {
			key.add(dimension.canonical(fullParams.get(dimension.name())));
		}
		return key;
	}

	/**
	 * Partial values completed the way the scheduler completes a proposal: the space's defaults, then the
	 * base run's values, then the given ones.
	 */
	Map<String, Object> complete(Map<String, Object> base, Map<String, Object> partial) {
		Map<String, Object> full = new LinkedHashMap<>();
		for (Dimension dimension : dimensions) {
			String name = dimension.name();
			Object value = partial.containsKey(name) ? partial.get(name)
					: base != null && base.containsKey(name) ? base.get(name) : dimension.defaultValue();
			full.put(name, value);
		}
		return full;
	}
}
