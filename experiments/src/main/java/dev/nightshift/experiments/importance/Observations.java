package dev.nightshift.experiments.importance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;

/**
 * Successful runs as the forest's input: one column per parameter of the spec, in the spec's order. Numbers are
 * put on a log scale where the parameter is, then scaled to {@code [0, 1]} over the values the runs tried, so the
 * importance speaks of the region tried rather than of the whole space. A choice's values are numbered, the
 * spec's values first. A parameter a run does not name (added to the spec later) has its default.
 */
final class Observations {

	/** One successful run: its parameters and objective value. */
	record Row(Map<String, Object> params, double objective) {
	}

	final List<Factor> factors = new ArrayList<>();
	final boolean[] varied;
	final double[][] x;
	final double[] y;

	Observations(Map<String, ParameterSpec> space, List<Row> rows) {
		int d = space.size();
		varied = new boolean[d];
		x = new double[rows.size()][d];
		y = rows.stream().mapToDouble(Row::objective).toArray();
		int f = 0;
		for (Map.Entry<String, ParameterSpec> parameter : space.entrySet()) {
			String name = parameter.getKey();
			List<Object> values = rows.stream()
				.map(row -> row.params().getOrDefault(name, parameter.getValue().defaultObject()))
				.toList();
			if (parameter.getValue() instanceof ChoiceParameter choice) {
				encodeChoice(f, name, choice, values);
			}
			else {
				encodeNumber(f, name, parameter.getValue(), values);
			}
			f++;
		}
	}

	private void encodeChoice(int f, String name, ChoiceParameter choice, List<Object> values) {
		Map<String, Integer> index = new LinkedHashMap<>();
		choice.values().forEach(value -> index.put(value, index.size()));
		for (int i = 0; i < values.size(); i++) {
			String value = String.valueOf(values.get(i));
			x[i][f] = index.computeIfAbsent(value, v -> index.size());
		}
		factors.add(Factor.choice(name, index.size()));
		varied[f] = values.stream().map(String::valueOf).distinct().count() > 1;
	}

	private void encodeNumber(int f, String name, ParameterSpec spec, List<Object> values) {
		boolean log = spec instanceof FloatParameter real ? real.log() : spec instanceof IntParameter whole && whole.log();
		double low = Double.POSITIVE_INFINITY;
		double high = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < values.size(); i++) {
			double value = number(values.get(i), spec.defaultObject());
			x[i][f] = log && value > 0 ? Math.log(value) : value;
			low = Math.min(low, x[i][f]);
			high = Math.max(high, x[i][f]);
		}
		varied[f] = high > low;
		for (double[] row : x) {
			row[f] = varied[f] ? (row[f] - low) / (high - low) : 0;
		}
		factors.add(Factor.numeric(name));
	}

	/** A stored value as a number; one that is not (a hand-written row) counts as the default. */
	private static double number(Object value, Object fallback) {
		if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
			return number.doubleValue();
		}
		try {
			double parsed = Double.parseDouble(String.valueOf(value));
			return Double.isFinite(parsed) ? parsed : ((Number) fallback).doubleValue();
		}
		catch (NumberFormatException ex) {
			return ((Number) fallback).doubleValue();
		}
	}
}
