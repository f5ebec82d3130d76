package dev.nightshift.bench;

import java.util.List;
import java.util.Map;

/**
 * The research benchmark's training program, whose truth is known: {@code lr}, {@code width} and {@code act}
 * matter (each adds a term with a known minimum to the loss), {@code dropout}, {@code batch} and {@code init}
 * do nothing; one code change helps, one hurts, and one crashes with a misspelt name until it is fixed. Every run
 * adds Gaussian noise of standard deviation {@link #NOISE} and prints, beside {@code val_loss}, its noise-free
 * {@code true_loss}, so that the benchmark can score what the server concluded against what is true.
 */
final class ResearchProgram {

	/** The run-to-run noise of {@code val_loss}. */
	static final double NOISE = 0.01;

	/**
	 * Effects smaller than this (two noise standard deviations) count as no effect: a dead end on a direction
	 * whose best possible gain is below it is true.
	 */
	static final double TOLERANCE = 2 * NOISE;

	/** The parameters that matter; the others do nothing. */
	static final List<String> MATTERS = List.of("lr", "width", "act");

	static final List<String> INERT = List.of("dropout", "batch", "init");

	static final Map<String, Double> ACTIVATIONS = Map.of("tanh", 0.15, "relu", 0.05, "gelu", 0.0);

	/** The noise-free loss of the unmodified code with every parameter at its best. */
	static final double PARAMETER_OPTIMUM = 1.0;

	/** The noise-free loss at the optimum: every term at its minimum, the helpful changes made. */
	static final double OPTIMUM = PARAMETER_OPTIMUM - Patch.COSINE.effect - Patch.SMOOTHING.effect;

	static final String SPEC = """
			name: research
			source: research
			command: python3 train.py
			editable: [train.py]
			objective: {metric: val_loss, goal: minimize}
			budget: {run: 1m}
			parameters:
			  lr:      {type: float, min: 1.0e-4, max: 1.0e-1, log: true, default: 1.0e-3}
			  width:   {type: int, min: 16, max: 512, log: true, default: 32}
			  act:     {type: choice, values: [tanh, relu, gelu], default: tanh}
			  dropout: {type: float, min: 0.0, max: 0.5, default: 0.1}
			  batch:   {type: int, min: 16, max: 256, log: true, default: 64}
			  init:    {type: choice, values: [normal, uniform, orthogonal], default: normal}
			resources: {gpus: 0}
			noise: {replicates: 4, min_delta: 0.0}
			brief: A stand-in for a training run whose truth the benchmark knows; lower val_loss is better.
			""";

	/** {@code train.py}; the terms here and in {@link #term} are the same functions. */
	static final String PROGRAM = """
			import json, math, os, random
			with open(os.environ["NIGHTSHIFT_PARAMS"]) as f:
			    p = json.load(f)
			SCHEDULE = "constant"
			CLIP = None
			SMOOTHING = 0.0
			true_loss = 1.0
			true_loss += 0.3 * (math.log10(p["lr"]) + 2.0) ** 2
			true_loss += 0.05 * (math.log2(p["width"]) - 7.0) ** 2
			true_loss += {"tanh": 0.15, "relu": 0.05, "gelu": 0.0}[p["act"]]
			# dropout, batch and init do nothing.
			if SCHEDULE == "cosine":
			    true_loss -= %1$s
			if CLIP is not None:
			    true_loss += %2$s
			true_loss -= SMOOTHING
			val_loss = true_loss + random.gauss(0.0, %3$s)
			for step in range(1, 4):
			    print(f"step={step} loss={val_loss + 0.5 / step:.6f}", flush=True)
			print(json.dumps({"val_loss": val_loss, "true_loss": true_loss, "code_cosine": int(SCHEDULE == "cosine"),
			                  "code_clip": int(CLIP is not None), "code_smoothing": int(SMOOTHING > 0)}), flush=True)
			""".formatted(0.10, 0.10, NOISE);

	/** The code changes on the menu, as SEARCH/REPLACE blocks against the unmodified program. */
	enum Patch {
		COSINE("Does a cosine learning-rate schedule improve val_loss?", 0.10, "SCHEDULE = \"constant\"",
				"SCHEDULE = \"cosine\""),
		CLIP("Does clipping gradients at 0.01 improve val_loss?", -0.10, "CLIP = None", "CLIP = 0.01"),
		/** Label smoothing, written with a misspelt name: {@code NameError} at once. */
		SMOOTHING("Does label smoothing of 0.05 improve val_loss?", 0.05, "SMOOTHING = 0.0",
				"SMOOTHING_TARGET = 0.05\nSMOOTHING = SMOOTHING_TARGT");

		/** The question the stand-in model asks about it. */
		final String question;

		/** How much it lowers the loss (negative: it raises it). */
		final double effect;

		private final String search;

		private final String replace;

		Patch(String question, double effect, String search, String replace) {
			this.question = question;
			this.effect = effect;
			this.search = search;
			this.replace = replace;
		}

		String patch() {
			return block(search, replace);
		}
	}

	/** The misspelt name, as the crash's traceback shows it. */
	static final String TYPO = "SMOOTHING_TARGT";

	/** The whole label-smoothing change without the typo, against code that does not have it yet. */
	static final String FIX = block("SMOOTHING = 0.0", "SMOOTHING_TARGET = 0.05\nSMOOTHING = SMOOTHING_TARGET");

	private ResearchProgram() {
	}

	private static String block(String search, String replace) {
		return "train.py\n<<<<<<< SEARCH\n" + search + "\n=======\n" + replace + "\n>>>>>>> REPLACE\n";
	}

	/** What {@code name = value} adds to the loss; zero for the parameters that do nothing. */
	static double term(String name, Object value) {
		return switch (name) {
			case "lr" -> 0.3 * Math.pow(Math.log10(number(value)) + 2.0, 2);
			case "width" -> 0.05 * Math.pow(Math.log(number(value)) / Math.log(2) - 7.0, 2);
			case "act" -> ACTIVATIONS.getOrDefault(String.valueOf(value), 0.0);
			default -> 0.0;
		};
	}

	/**
	 * The most that moving {@code name} from {@code from} in one direction (up: {@code higher}) can lower the loss,
	 * searched over the parameter's range on a fine grid.
	 */
	static double bestGain(String name, double from, boolean higher) {
		double[] range = switch (name) {
			case "lr" -> new double[] { 1e-4, 1e-1 };
			case "width" -> new double[] { 16, 512 };
			case "batch" -> new double[] { 16, 256 };
			case "dropout" -> new double[] { 0.0, 0.5 };
			default -> throw new IllegalArgumentException("not a numeric parameter: " + name);
		};
		double start = higher ? Math.max(from, range[0]) : range[0];
		double end = higher ? range[1] : Math.min(from, range[1]);
		double gain = 0;
		for (int i = 0; i <= 1000; i++) {
			double value = start + (end - start) * i / 1000.0;
			gain = Math.max(gain, term(name, from) - term(name, value));
		}
		return gain;
	}

	private static double number(Object value) {
		return value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value));
	}
}
