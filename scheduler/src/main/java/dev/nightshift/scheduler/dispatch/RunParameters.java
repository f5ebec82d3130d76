package dev.nightshift.scheduler.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.nightshift.experiments.spec.ExperimentSpec;

/** The full parameter values of a run: the space's defaults, then the base's values, then the proposal's. */
public final class RunParameters {

	private RunParameters() {
	}

	public static Map<String, Object> merge(ExperimentSpec spec, Map<String, Object> base, Map<String, Object> proposal) {
		Map<String, Object> values = new LinkedHashMap<>();
		spec.parameters().forEach((name, parameter) -> values.put(name, parameter.defaultObject()));
		base.forEach((name, value) -> values.computeIfPresent(name, (n, old) -> value));
		values.putAll(proposal);
		return values;
	}
}
