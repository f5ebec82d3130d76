package dev.nightshift.experiments.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads the optional {@code pruning} section of a specification, recording every violation it finds. */
final class PruningReader {

	private static final List<String> KEYS = List.of("rule", "metric", "goal", "warmup", "min_runs",
			"reduction_factor", "rungs");
	private static final Pattern STEPS = Pattern.compile("(\\d{1,18})\\s*steps?");
	private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
	private static final String WARMUP_FORMS = "write a duration (30s, 2m), a fraction of the run (0.1 or 10%),"
			+ " a step (300 steps) or none";

	private PruningReader() {}

	/** The pruning settings, or {@code null} when the section is absent or has violations. */
	static Pruning read(SpecNode node, Objective objective) {
		if (node == null) {
			return null;
		}
		node.rejectUnknownKeys(KEYS);
		int before = node.violations().size();
		String ruleText = node.nonBlankText("rule", true);
		Pruning.Rule rule = ruleText == null ? null : Pruning.Rule.fromText(ruleText).orElse(null);
		if (ruleText != null && rule == null) {
			node.violation(node.pathOf("rule"), "one-of", "rule '" + ruleText + "' must be median or asha");
		}
		String metric = node.nonBlankText("metric", false);
		if (metric != null && metric.matches("(?s).*\\s.*")) {
			node.violation(node.pathOf("metric"), "pattern", "metric '" + metric + "' must not contain spaces");
		}
		String goalText = node.text("goal", false);
		Goal goal = goalText == null ? null : Goal.fromText(goalText).orElse(null);
		if (goalText != null && goal == null) {
			node.violation(node.pathOf("goal"), "one-of", "goal '" + goalText + "' must be minimize or maximize");
		}
		Pruning.Warmup warmup = readWarmup(node);
		Long minRuns = node.whole("min_runs", false);
		if (minRuns != null && (minRuns < 1 || minRuns > Pruning.MAX_MIN_RUNS)) {
			node.violation(node.pathOf("min_runs"), "out-of-range",
					"min_runs must be 1 to " + Pruning.MAX_MIN_RUNS + ", got " + minRuns);
		}
		Long reduction = node.whole("reduction_factor", false);
		if (reduction != null && (reduction < 2 || reduction > Pruning.MAX_REDUCTION_FACTOR)) {
			node.violation(node.pathOf("reduction_factor"), "out-of-range",
					"reduction_factor must be 2 to " + Pruning.MAX_REDUCTION_FACTOR + ", got " + reduction);
		}
		int eta = reduction == null ? Pruning.DEFAULT_REDUCTION_FACTOR : reduction.intValue();
		List<Double> rungs = readRungs(node, eta);
		if (rule == Pruning.Rule.MEDIAN) {
			for (String ashaOnly : List.of("reduction_factor", "rungs")) {
				if (node.value(ashaOnly, false) != null) {
					node.violation(node.pathOf(ashaOnly), "asha-only",
							ashaOnly + " belongs to rule asha; the median rule has no rungs");
				}
			}
		}
		if (node.violations().size() > before || rule == null || objective == null) {
			return null;
		}
		return new Pruning(rule, metric == null ? objective.metric() : metric,
				goal == null ? objective.goal() : goal, warmup,
				minRuns != null ? minRuns.intValue()
						: rule == Pruning.Rule.ASHA ? Pruning.defaultAshaMinRuns(eta) : Pruning.DEFAULT_MIN_RUNS, eta,
				rule == Pruning.Rule.MEDIAN ? List.of() : rungs);
	}

	private static Pruning.Warmup readWarmup(SpecNode node) {
		JsonNode value = node.value("warmup", false);
		if (value == null) {
			return Pruning.Warmup.DEFAULT;
		}
		String field = node.pathOf("warmup");
		if (!value.isString() && !value.isNumber()) {
			node.violation(field, "type", WARMUP_FORMS + ", got " + SpecNode.describe(value));
			return Pruning.Warmup.NONE;
		}
		String text = value.asString().trim();
		if (text.equalsIgnoreCase("none")) {
			return Pruning.Warmup.NONE;
		}
		Matcher steps = STEPS.matcher(text);
		Matcher percent = PERCENT.matcher(text);
		if (steps.matches()) {
			return new Pruning.Warmup(Duration.ZERO, 0, Long.parseLong(steps.group(1)));
		}
		Double fraction = null;
		if (percent.matches()) {
			fraction = new BigDecimal(percent.group(1)).movePointLeft(2).doubleValue();
		} else if (value.isNumber() || text.matches("\\d+(\\.\\d+)?")) {
			fraction = Double.parseDouble(text);
			if (fraction >= 1) {
				node.violation(field, "ambiguous", "warmup " + text + " has no unit: " + WARMUP_FORMS);
				return Pruning.Warmup.NONE;
			}
		}
		if (fraction != null) {
			if (!(fraction >= 0 && fraction < 1)) {
				node.violation(field, "out-of-range", "warmup " + text + " must be a fraction below the whole budget");
				return Pruning.Warmup.NONE;
			}
			return new Pruning.Warmup(Duration.ZERO, fraction, 0);
		}
		try {
			return new Pruning.Warmup(Durations.parse(text), 0, 0);
		} catch (IllegalArgumentException e) {
			node.violation(field, "warmup", "cannot read warmup '" + text + "': " + WARMUP_FORMS);
			return Pruning.Warmup.NONE;
		}
	}

	/** A count of rungs at powers of 1/η, or a list of ascending fractions of the budget. */
	private static List<Double> readRungs(SpecNode node, int eta) {
		JsonNode value = node.value("rungs", false);
		String field = node.pathOf("rungs");
		if (value == null) {
			return Pruning.defaultRungs(eta);
		}
		if (value.isIntegralNumber()) {
			int count = value.asInt();
			if (count < 1 || count > Pruning.MAX_RUNGS) {
				node.violation(field, "out-of-range", "rungs must be 1 to " + Pruning.MAX_RUNGS + ", got " + count);
				return List.of();
			}
			return Pruning.powerRungs(eta, count);
		}
		if (!value.isArray() || value.isEmpty() || value.size() > Pruning.MAX_RUNGS) {
			node.violation(field, "type", "must be a number of rungs (3) or a list of 1 to " + Pruning.MAX_RUNGS
					+ " ascending fractions of the budget ([0.1, 0.3]), got " + SpecNode.describe(value));
			return List.of();
		}
		List<Double> rungs = new ArrayList<>();
		double previous = 0;
		for (int i = 0; i < value.size(); i++) {
			JsonNode element = value.get(i);
			double fraction = element.isNumber() ? element.asDouble() : Double.NaN;
			if (!(fraction > previous && fraction < 1)) {
				node.violation(field + "[" + i + "]", "out-of-range", "rung " + SpecNode.describe(element)
						+ " must be a fraction of the budget above the rung before it (or 0) and below 1");
				return List.of();
			}
			rungs.add(fraction);
			previous = fraction;
		}
		return rungs;
	}
}
