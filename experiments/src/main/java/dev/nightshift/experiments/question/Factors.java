package dev.nightshift.experiments.question;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.nightshift.experiments.spec.ExperimentSpec;

/**
 * The factors a change varies against its base: the parameters whose values differ, in the order of the search
 * space, and {@value #CODE} when it carries a patch. Both the question (when it is opened) and the run (when it is
 * queued) are labelled with it, so that a run can be matched with the question it isolates.
 */
public final class Factors {

	/** The factor of a patch. */
	public static final String CODE = "code";

	private Factors() {
	}

	/**
	 * @param base   the base's parameter values (the best run's), possibly partial or empty
	 * @param change the values the change sets, possibly partial; unset ones keep the base's
	 * @param patch  whether the change carries a patch
	 */
	public static List<String> varied(ExperimentSpec spec, Map<String, Object> base, Map<String, Object> change,
			boolean patch) {
		Map<String, Object> from = complete(spec, base);
		List<String> names = new ArrayList<>();
		spec.parameters().forEach((name, parameter) -> {
			if (change.containsKey(name) && !same(from.get(name), change.get(name))) {
				names.add(name);
			}
		});
		if (patch) {
			names.add(CODE);
		}
		return List.copyOf(names);
	}

	private static Map<String, Object> complete(ExperimentSpec spec, Map<String, Object> base) {
		Map<String, Object> values = new LinkedHashMap<>();
		spec.parameters().forEach((name, parameter) -> values.put(name, base.getOrDefault(name, parameter.defaultObject())));
		return values;
	}

	// JSON gives 16 where the space says 16.0: numbers are compared by value.
	private static boolean same(Object a, Object b) {
		if (a instanceof Number x && b instanceof Number y) {
			return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
		}
		return Objects.equals(a, b);
	}
}
