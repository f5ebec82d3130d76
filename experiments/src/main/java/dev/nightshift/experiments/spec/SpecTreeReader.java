package dev.nightshift.experiments.spec;

import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a parsed YAML or JSON tree into an {@link ExperimentSpec}, or into a {@link SpecValidationException} listing
 * every violation. The tree comes from {@link ExperimentSpecParser}, so both formats share these rules.
 */
final class SpecTreeReader {

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	/** A ".." path segment, with either separator. */
	private static final Pattern PARENT = Pattern.compile("(?s)(.*[/\\\\])?\\.\\.([/\\\\].*)?");

	private static final List<String> TOP_KEYS = List.of("name", "source", "command", "editable", "objective",
			"budget", "parameters", "resources", "noise", "brief", "pruning", "executor", "slurm");
	private static final List<String> OBJECTIVE_KEYS = List.of("metric", "goal");
	private static final List<String> BUDGET_KEYS = List.of("run");
	private static final List<String> RESOURCES_KEYS = List.of("gpus");
	private static final List<String> NOISE_KEYS = List.of("replicates", "min_delta");

	/** Longest brief, in characters: it goes into every prompt. */
	static final int MAX_BRIEF_CHARS = 20_000;

	/** Most GPUs one run may ask for: more than any one machine has. */
	static final int MAX_GPUS = 64;

	/** Most {@code editable} globs. */
	static final int MAX_EDITABLE_GLOBS = 100;

	private SpecTreeReader() {}

	/** Reads the root object of a specification. */
	static ExperimentSpec read(JsonNode root) {
		List<SpecViolation> violations = new ArrayList<>();
		SpecNode spec = new SpecNode(root, "", violations);
		spec.rejectUnknownKeys(TOP_KEYS);
		String name = spec.nonBlankText("name", true);
		if (name != null && !NAME.matcher(name).matches()) {
			spec.violation("name", "pattern", "name '" + name + "' must be 1 to 64 letters, digits, '.', '_' or '-',"
					+ " starting with a letter or digit ([A-Za-z0-9][A-Za-z0-9._-]{0,63})");
		}
		String source = spec.nonBlankText("source", false);
		String command = spec.nonBlankText("command", true);
		List<String> editable = readEditable(spec);
		Objective objective = readObjective(spec.object("objective", true));
		Budget budget = readBudget(spec.object("budget", true));
		Map<String, ParameterSpec> parameters = ParameterReader.read(spec);
		Resources resources = readResources(spec.object("resources", false));
		Noise noise = readNoise(spec.object("noise", false));
		String brief = spec.text("brief", false);
		if (brief != null && brief.length() > MAX_BRIEF_CHARS) {
			spec.violation("brief", "too-long", "has " + brief.length() + " characters; at most " + MAX_BRIEF_CHARS
					+ " are allowed, since every proposer reads it with each request");
		}
		Pruning pruning = PruningReader.read(spec.object("pruning", false), objective);
		Execution execution = ExecutionReader.read(spec);
		if (!violations.isEmpty()) {
			throw new SpecValidationException(violations);
		}
		return new ExperimentSpec(name, source, command, editable, objective, budget, parameters, resources, noise,
				brief, pruning, execution);
	}

	/** Globs relative to the repository; a lone string is taken as a one-element list. */
	private static List<String> readEditable(SpecNode spec) {
		List<String> globs = spec.textList("editable", false, (field, glob) -> {
			// An agent's patch must stay inside the checkout; a glob that leaves it would defeat "read-only".
			if (glob.startsWith("/") || glob.startsWith("\\") || PARENT.matcher(glob).matches()) {
				spec.violation(field, "pattern",
						"'" + glob + "' must be a path or glob inside the repository, not absolute and without '..'");
				return;
			}
			try {
				// The same matcher the validation of patches and the scheduler use.
				FileSystems.getDefault().getPathMatcher("glob:" + glob);
			}
			catch (PatternSyntaxException ex) {
				spec.violation(field, "glob", "'" + glob + "' is not a valid glob: " + ex.getDescription());
			}
		});
		if (globs != null && globs.size() > MAX_EDITABLE_GLOBS) {
			spec.violation("editable", "out-of-range",
					"has " + globs.size() + " globs; at most " + MAX_EDITABLE_GLOBS + " are allowed");
		}
		return globs == null ? List.of() : globs;
	}

	private static Objective readObjective(SpecNode node) {
		if (node == null) {
			return null;
		}
		node.rejectUnknownKeys(OBJECTIVE_KEYS);
		String metric = node.nonBlankText("metric", true);
		if (metric != null && metric.matches("(?s).*\\s.*")) {
			// The metric is found in output lines such as "val_loss: 1.2", where a space would end the name.
			node.violation(node.pathOf("metric"), "pattern", "metric '" + metric + "' must not contain spaces");
		}
		String goalText = node.text("goal", false);
		Goal goal = Goal.MINIMIZE;
		if (goalText != null) {
			goal = Goal.fromText(goalText).orElse(null);
			if (goal == null) {
				node.violation(node.pathOf("goal"), "one-of",
						"goal '" + goalText + "' must be minimize or maximize");
			}
		}
		return metric == null || goal == null ? null : new Objective(metric, goal);
	}

	private static Budget readBudget(SpecNode node) {
		if (node == null) {
			return null;
		}
		node.rejectUnknownKeys(BUDGET_KEYS);
		JsonNode run = node.value("run", true);
		if (run == null) {
			return null;
		}
		if (!run.isString() && !run.isNumber()) {
			node.violation(node.pathOf("run"), "type",
					"must be a duration such as 2m or 90s, got " + SpecNode.describe(run));
			return null;
		}
		Duration duration;
		try {
			duration = Durations.parse(run.asString());
		} catch (IllegalArgumentException e) {
			node.violation(node.pathOf("run"), "duration", e.getMessage());
			return null;
		}
		if (duration.compareTo(Budget.MAX_RUN) > 0) {
			node.violation(node.pathOf("run"), "out-of-range",
					"run budget " + Durations.format(duration) + " is longer than the limit of 7d");
			return null;
		}
		return new Budget(duration);
	}

	private static Resources readResources(SpecNode node) {
		if (node == null) {
			return Resources.CPU;
		}
		node.rejectUnknownKeys(RESOURCES_KEYS);
		Long gpus = node.whole("gpus", false);
		if (gpus == null) {
			return Resources.CPU;
		}
		if (gpus < 0 || gpus > MAX_GPUS) {
			node.violation(node.pathOf("gpus"), "out-of-range",
					"gpus must be between 0 (a CPU slot) and " + MAX_GPUS + ", got " + gpus);
			return null;
		}
		return new Resources(gpus.intValue());
	}

	private static Noise readNoise(SpecNode node) {
		if (node == null) {
			return Noise.DEFAULT;
		}
		node.rejectUnknownKeys(NOISE_KEYS);
		Long replicates = node.whole("replicates", false);
		Double minDelta = node.number("min_delta", false);
		boolean valid = true;
		if (replicates != null && (replicates < 1 || replicates > Noise.MAX_REPLICATES)) {
			node.violation(node.pathOf("replicates"), "out-of-range",
					"replicates must be 1 to " + Noise.MAX_REPLICATES + ", got " + replicates);
			valid = false;
		}
		if (minDelta != null && minDelta < 0) {
			node.violation(node.pathOf("min_delta"), "out-of-range", "min_delta must be 0 or more, got " + minDelta);
			valid = false;
		}
		if (!valid) {
			return null;
		}
		return new Noise(replicates == null ? Noise.DEFAULT.replicates() : replicates.intValue(),
				minDelta == null ? Noise.DEFAULT.minDelta() : minDelta + 0.0);
	}
}
