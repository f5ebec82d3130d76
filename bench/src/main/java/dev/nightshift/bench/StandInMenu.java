package dev.nightshift.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in model's script: the three code changes, then one-factor parameter questions in the built-in
 * strategies' words ("Does a higher lr than 0.001 improve val_loss?"), each tried with up to three values in its
 * direction from the best run's value (read from the digest in the request), then, once the script is spent,
 * one-factor moves of a parameter drawn at random. A question found among the digest's dead ends is not asked
 * again.
 */
final class StandInMenu {

	/** One proposal: its question, the one parameter it sets (or none), its patch (or none). */
	record Item(String question, Map<String, Object> params, String patch, String rationale) {
	}

	/** A scripted question: a patch, a direction of a numeric parameter, or a value of a choice. */
	private record Step(String name, String direction, List<Object> values, ResearchProgram.Patch patch) {
	}

	private static final Map<String, Object> DEFAULTS = Map.of("lr", 1e-3, "width", 32, "act", "tanh", "dropout", 0.1,
			"batch", 64, "init", "normal");

	private static final Pattern ASSIGNMENT = Pattern.compile("\\b(lr|width|act|dropout|batch|init)=([^,\\s]+)");

	private final List<Step> script = List.of(
			patch(ResearchProgram.Patch.COSINE),
			patch(ResearchProgram.Patch.SMOOTHING),
			numeric("lr", "higher", 3e-3, 1e-2, 3e-2),
			numeric("dropout", "higher", 0.2, 0.3, 0.5),
			patch(ResearchProgram.Patch.CLIP),
			numeric("width", "higher", 64, 128, 256),
			numeric("batch", "lower", 32, 16, 48),
			choice("act", "gelu"), choice("act", "relu"),
			choice("init", "orthogonal"), choice("init", "uniform"),
			numeric("lr", "lower", 3e-4, 1e-4, 5e-4),
			numeric("dropout", "lower", 0.0, 0.05),
			numeric("width", "higher", 128, 256, 512),
			numeric("width", "lower", 16, 24));

	private final Map<Integer, Set<Object>> tried = new HashMap<>();

	private final SplittableRandom random = new SplittableRandom(13);

	private int position;

	private int offered;

	private boolean fixOffered;

	/** The next proposal for a request whose text (the digest) is {@code request}. */
	Item next(String request) {
		Map<String, Object> best = best(request);
		String deadEnds = section(request, "## Dead ends");
		while (position < script.size()) {
			Step step = script.get(position);
			Item item = item(position, step, best);
			if (item != null && !deadEnds.contains(item.question())) {
				offered++;
				return item;
			}
			position++;
		}
		offered++;
		return randomMove(best);
	}

	/** The label-smoothing change without the misspelt name, against the best run's code. */
	Item fix() {
		fixOffered = true;
		offered++;
		return new Item(ResearchProgram.Patch.SMOOTHING.question, Map.of(),
				ResearchProgram.FIX,
				"The run crashed with NameError: SMOOTHING_TARGT is a misspelling of SMOOTHING_TARGET.");
	}

	boolean fixOffered() {
		return fixOffered;
	}

	int offered() {
		return offered;
	}

	private Item item(int index, Step step, Map<String, Object> best) {
		Set<Object> done = tried.computeIfAbsent(index, i -> new HashSet<>());
		if (step.patch() != null) {
			if (!done.isEmpty()) {
				return null;
			}
			done.add(step.patch());
			return new Item(step.patch().question, Map.of(), step.patch().patch(), "A code change worth one run.");
		}
		Object from = best.get(step.name());
		if (step.direction() == null) {
			Object value = step.values().get(0);
			if (!done.isEmpty() || value.equals(from)) {
				return null;
			}
			done.add(value);
			return new Item("Does " + step.name() + " = " + value + " instead of " + from + " improve val_loss?",
					Map.of(step.name(), value), null, "One factor at a time: only " + step.name() + " changes.");
		}
		double reference = ((Number) from).doubleValue();
		boolean higher = "higher".equals(step.direction());
		for (Object value : step.values()) {
			double v = ((Number) value).doubleValue();
			if ((higher ? v > reference : v < reference) && done.add(value)) {
				return new Item("Does a " + step.direction() + " " + step.name() + " than " + plain(from)
						+ " improve val_loss?", Map.of(step.name(), value), null,
						"One factor at a time: only " + step.name() + " changes.");
			}
		}
		return null;
	}

	/** Once the script is spent: one parameter moved to a random value, in the same words. */
	private Item randomMove(Map<String, Object> best) {
		String name = List.of("lr", "width", "dropout", "batch").get(random.nextInt(4));
		Object value = switch (name) {
			case "lr" -> Math.pow(10, -4 + 3 * random.nextDouble());
			case "width" -> 16 + random.nextInt(497);
			case "dropout" -> Math.round(random.nextDouble() * 50) / 100.0;
			default -> 16 + random.nextInt(241);
		};
		double reference = ((Number) best.get(name)).doubleValue();
		double v = ((Number) value).doubleValue();
		return new Item("Does a " + (v > reference ? "higher" : "lower") + " " + name + " than " + plain(best.get(name))
				+ " improve val_loss?", Map.of(name, value), null, "One factor at a time: only " + name + " changes.");
	}

	/** The best run's parameters as the digest shows them ({@code name=value} on the line after its heading). */
	static Map<String, Object> best(String request) {
		Map<String, Object> best = new LinkedHashMap<>(DEFAULTS);
		String section = section(request, "## Best run");
		String line = section.lines().skip(1).findFirst().orElse("");
		Matcher assignment = ASSIGNMENT.matcher(line);
		while (assignment.find()) {
			String name = assignment.group(1);
			String value = assignment.group(2);
			best.put(name, Set.of("act", "init").contains(name) ? value
					: Set.of("width", "batch").contains(name) ? (Object) (int) Math.round(Double.parseDouble(value))
							: (Object) Double.parseDouble(value));
		}
		return best;
	}

	/** The digest's section that starts with {@code heading}, up to the next one; empty when there is none. */
	static String section(String request, String heading) {
		int start = request.indexOf(heading);
		if (start < 0) {
			return "";
		}
		int end = request.indexOf("\n## ", start + heading.length());
		return request.substring(start, end < 0 ? request.length() : end);
	}

	private static String plain(Object value) {
		if (value instanceof Double d) {
			return new java.math.BigDecimal(d).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
		}
		return String.valueOf(value);
	}

	private static Step patch(ResearchProgram.Patch patch) {
		return new Step(null, null, List.of(), patch);
	}

	private static Step numeric(String name, String direction, Object... values) {
		return new Step(name, direction, List.of(values), null);
	}

	private static Step choice(String name, Object value) {
		return new Step(name, null, List.of(value), null);
	}
}
