package dev.nightshift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a question claims, read from its words (what every later proposer reads), and what is true about it in
 * the {@link ResearchProgram}: the most its change can lower the loss. A dead end (DEAD_END) is true when that
 * gain is within {@link ResearchProgram#TOLERANCE}; a REFUTED is true when the change makes things worse beyond
 * it; SUPPORTED when it helps beyond it.
 *
 * <p>The words are those of the built-in strategies ("Does a higher lr than 0.003 improve val_loss?", "Does act
 * = relu instead of tanh improve val_loss?") and of the stand-in model, which uses the same forms for its
 * parameter questions and its own words for its patches. An exploration ("Where else in the space is val_loss
 * below 1.05, …?") claims, when it is closed as a dead end, that no parameter values beat that value: true when
 * the parameters' own optimum is within the tolerance of it. Any other question is judged by the parameters it
 * names: a dead end on it is true only when every parameter it names does nothing. {@code inert}: what it varies
 * does nothing at all.
 */
record Claim(String kind, double gain, double loss, boolean inert) {

	private static final Pattern DIRECTION = Pattern.compile("Does a (higher|lower) (\\w+) than (\\S+) improve");

	private static final Pattern CHOICE = Pattern.compile("Does (\\w+) = (\\S+) instead of (\\S+) improve");

	private static final Pattern EXPLORATION = Pattern
		.compile("^Where (?:else )?in the space is \\w+ (?:below ([-0-9.eE]+)|lowest)");

	/** What the change in the question's direction can gain at best, and what it costs at worst. */
	static Claim of(String question) {
		for (ResearchProgram.Patch patch : ResearchProgram.Patch.values()) {
			if (question.strip().equals(patch.question)) {
				return new Claim("patch", Math.max(0, patch.effect), Math.max(0, -patch.effect), false);
			}
		}
		Matcher direction = DIRECTION.matcher(question);
		if (direction.find() && isParameter(direction.group(2))) {
			String name = direction.group(2);
			double from = Double.parseDouble(direction.group(3));
			boolean higher = "higher".equals(direction.group(1));
			if (ResearchProgram.INERT.contains(name)) {
				return new Claim("one parameter, does nothing", 0, 0, true);
			}
			// The worst case: the far end of the direction.
			double gain = ResearchProgram.bestGain(name, from, higher);
			double worst = ResearchProgram.term(name, higher ? max(name) : min(name)) - ResearchProgram.term(name, from);
			return new Claim("one parameter, one direction", gain, Math.max(0, worst), false);
		}
		Matcher choice = CHOICE.matcher(question);
		if (choice.find() && isParameter(choice.group(1))) {
			double change = ResearchProgram.term(choice.group(1), choice.group(3))
					- ResearchProgram.term(choice.group(1), choice.group(2));
			return new Claim("one choice", Math.max(0, change), Math.max(0, -change),
					ResearchProgram.INERT.contains(choice.group(1)));
		}
		Matcher exploration = EXPLORATION.matcher(question.strip());
		if (exploration.find()) {
			// "Nowhere else is it below X": what the parameters can still gain below X (none named: the space).
			double below = exploration.group(1) == null ? Double.POSITIVE_INFINITY : Double.parseDouble(exploration.group(1));
			return new Claim("exploration", Math.max(0, below - ResearchProgram.PARAMETER_OPTIMUM), 0, false);
		}
		List<String> named = named(question);
		boolean anyMatters = named.stream().anyMatch(ResearchProgram.MATTERS::contains);
		// Unattributable: the words do not say which way; a claim on a parameter that matters is as wrong as a claim
		// can be, so it counts as having the largest gain there is.
		return new Claim(named.isEmpty() ? "no parameter named" : "names " + String.join(", ", named),
				anyMatters ? Double.POSITIVE_INFINITY : 0, 0, !anyMatters);
	}

	/** A dead end on it is true: nothing in its direction helps beyond the noise. */
	boolean deadEndTrue() {
		return gain <= ResearchProgram.TOLERANCE;
	}

	/**
	 * A dead end on it is true by the stricter reading, factor by factor: what it varies does nothing at all (a
	 * parameter of no effect, or no parameter), whatever the direction. A direction of a parameter that matters is
	 * never a true dead end by this reading (REFUTED is the word for a direction that only hurts).
	 */
	boolean deadEndTrueByFactor() {
		return inert;
	}

	/** A REFUTED on it is true: it can only make things worse, and does beyond the noise. */
	boolean refutedTrue() {
		return deadEndTrue() && loss > ResearchProgram.TOLERANCE;
	}

	/** A SUPPORTED on it is true: its direction holds a real gain. */
	boolean supportedTrue() {
		return !deadEndTrue();
	}

	private static boolean isParameter(String name) {
		return ResearchProgram.MATTERS.contains(name) || ResearchProgram.INERT.contains(name);
	}

	private static List<String> named(String question) {
		List<String> names = new ArrayList<>();
		String words = question.toLowerCase(Locale.ROOT);
		for (String name : List.of("lr", "width", "act", "dropout", "batch", "init")) {
			if (Pattern.compile("\\b" + name + "\\b").matcher(words).find()) {
				names.add(name);
			}
		}
		return names;
	}

	private static double max(String name) {
		return switch (name) {
			case "lr" -> 1e-1;
			case "width" -> 512;
			default -> 0;
		};
	}

	private static double min(String name) {
		return switch (name) {
			case "lr" -> 1e-4;
			case "width" -> 16;
			default -> 0;
		};
	}
}
