package dev.nightshift.agent.strategy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.Goal;

/** Short, specific words for the questions and rationales the strategies write. */
final class Wording {

	/** Questions name at most this many parameters, so they stay one readable line. */
	static final int NAMED_PARAMETERS = 3;

	private Wording() {
	}

	/** A number with three significant digits, in plain notation unless very small or large. */
	static String number(double value) {
		if (!Double.isFinite(value)) {
			return Double.toString(value);
		}
		if (value == 0) {
			return "0";
		}
		BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
		double magnitude = Math.abs(value);
		if (magnitude >= 1e-4 && magnitude < 1e6) {
			return rounded.toPlainString();
		}
		return String.format(Locale.ROOT, "%.2e", value);
	}

	/** A parameter value as a person reads it. */
	static String value(Object value) {
		return value instanceof Double d ? number(d) : String.valueOf(value);
	}

	/** {@code name=value, ...} for the first few names, then "and N more". */
	static String assignments(Map<String, Object> params, List<String> names) {
		List<String> parts = new ArrayList<>();
		for (String name : names.subList(0, Math.min(NAMED_PARAMETERS, names.size()))) {
			parts.add(name + "=" + value(params.get(name)));
		}
		String text = String.join(", ", parts);
		return names.size() > NAMED_PARAMETERS ? text + " and " + (names.size() - NAMED_PARAMETERS) + " more" : text;
	}

	/** "and 1 more change", "and 3 more changes". */
	static String more(int count) {
		return "and " + count + " more change" + (count == 1 ? "" : "s");
	}

	/** "a", "a and b", "a, b and c". */
	static String list(List<String> parts) {
		if (parts.size() <= 1) {
			return String.join("", parts);
		}
		return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
	}

	/** "best so far 1.93 (run 17)", or that there is none yet. */
	static String bestSoFar(ResearchContext context) {
		RunSummary best = context.best();
		if (best == null || best.objective() == null) {
			return "no successful run yet";
		}
		return "best so far " + number(best.objective()) + " (run " + best.id() + ")";
	}

	/** What a better result would be, for the expected effect. */
	static String expectation(ResearchContext context) {
		String metric = context.spec().objective().metric();
		RunSummary best = context.best();
		if (best == null || best.objective() == null) {
			return "a first " + metric + " to compare with";
		}
		String direction = context.spec().objective().goal() == Goal.MAXIMIZE ? "above " : "below ";
		return metric + " " + direction + number(best.objective()) + " (the best so far)";
	}

	/**
	 * "Does lr near 0.012 with n_embd 32 improve val_loss?", naming the parameters that differ most from the
	 * best run (all of them, in the spec's order, before there is one).
	 */
	static String question(Search search, Map<String, Object> params) {
		RunSummary best = search.context().best();
		List<String> names = best == null || best.params() == null ? new ArrayList<>(params.keySet())
				: changes(search.space(), params, best.params());
		if (names.isEmpty()) {
			names = new ArrayList<>(params.keySet());
		}
		StringBuilder text = new StringBuilder("Does ").append(phrase(search.space(), names.get(0), params, " near "));
		List<String> rest = names.subList(1, Math.min(NAMED_PARAMETERS, names.size()));
		if (!rest.isEmpty()) {
			List<String> parts = new ArrayList<>();
			for (String name : rest) {
				parts.add(phrase(search.space(), name, params, " "));
			}
			text.append(" with ").append(list(parts));
		}
		if (names.size() > NAMED_PARAMETERS) {
			text.append(" (").append(more(names.size() - NAMED_PARAMETERS)).append(')');
		}
		return text.append(" improve ").append(search.context().spec().objective().metric()).append('?').toString();
	}

	/**
	 * The research question a proposal studies, in the direction of its largest move away from the best run
	 * (or the baseline, or the defaults): "Does a higher lr than 0.003 improve val_loss?". Proposals that move
	 * the same way share the question, so it gathers evidence and can become a dead end; the exact values go
	 * in the rationale.
	 */
	static String direction(Search search, Map<String, Object> params) {
		ResearchContext context = search.context();
		RunSummary reference = context.best() != null && context.best().params() != null ? context.best()
				: context.baseline() != null && context.baseline().params() != null ? context.baseline() : null;
		Map<String, Object> from = search.space().complete(Map.of(), reference == null ? Map.of() : reference.params());
		String metric = context.spec().objective().metric();
		List<String> names = changes(search.space(), params, from);
		if (names.isEmpty()) {
			return "Does repeating the best configuration change " + metric + "?";
		}
		String name = names.get(0);
		Dimension dimension = search.space().dimensions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
		String was = value(dimension.canonical(from.get(name)));
		if (dimension.isChoice()) {
			return "Does " + name + " = " + value(params.get(name)) + " instead of " + was + " improve " + metric + "?";
		}
		double before = ((Number) dimension.canonical(from.get(name))).doubleValue();
		double after = ((Number) dimension.canonical(params.get(name))).doubleValue();
		return "Does a " + (after > before ? "higher" : "lower") + " " + name + " than " + was + " improve " + metric + "?";
	}

	/**
	 * The question of a draw that moves several parameters at once: it maps a region and claims nothing about any
	 * one factor. Every such draw while the best stays the same shares it ("Where else in the space is val_loss
	 * below 1.93, the best so far (run 17)?"), so explorations do not pile up as questions.
	 */
	static String exploration(Search search) {
		ResearchContext context = search.context();
		String metric = context.spec().objective().metric();
		RunSummary best = context.best();
		if (best == null || best.objective() == null) {
			return "Where in the space is " + metric + " " + (context.spec().objective().goal() == Goal.MAXIMIZE
					? "highest" : "lowest") + "?";
		}
		return "Where else in the space is " + metric + (context.spec().objective().goal() == Goal.MAXIMIZE
				? " above " : " below ") + number(best.objective()) + ", the best so far (run " + best.id() + ")?";
	}

	/** The parameters {@code params} changes against the best run (the defaults before there is one). */
	static List<String> changesFromBest(Search search, Map<String, Object> params) {
		RunSummary best = search.context().best();
		Map<String, Object> base = best == null || best.params() == null ? Map.of() : best.params();
		return changes(search.space(), params, search.space().complete(Map.of(), base));
	}

	/** Names of the parameters whose values differ from {@code reference}'s, the largest move first. */
	static List<String> changes(SearchSpace space, Map<String, Object> params, Map<String, Object> reference) {
		double[] point = space.encode(params);
		double[] from = space.encode(reference);
		List<Integer> moved = new ArrayList<>();
		double[] distance = new double[point.length];
		for (int i = 0; i < point.length; i++) {
			Dimension dimension = space.get(i);
			Object before = dimension.canonical(reference.getOrDefault(dimension.name(), dimension.defaultValue()));
			if (!Objects.equals(before, dimension.canonical(params.get(dimension.name())))) {
				moved.add(i);
				distance[i] = dimension.isChoice() ? 1 : Math.abs(dimension.unit(point[i]) - dimension.unit(from[i]));
			}
		}
		// A stable sort keeps the spec's order among equal moves.
		moved.sort((a, b) -> Double.compare(distance[b], distance[a]));
		List<String> names = new ArrayList<>();
		for (int i : moved) {
			names.add(space.get(i).name());
		}
		return names;
	}

	private static String phrase(SearchSpace space, String name, Map<String, Object> params, String numericJoin) {
		boolean choice = space.dimensions().stream().anyMatch(d -> d.name().equals(name) && d.isChoice());
		return name + (choice ? " " : numericJoin) + value(params.get(name));
	}
}
