package dev.nightshift.experiments;

import java.util.UUID;

import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;

/** Experiment specifications for tests, each with a name of its own so tests sharing a database never clash. */
public final class Specs {

	private Specs() {
	}

	/** The SPEC section 2 example under a fresh name. */
	public static ExperimentSpec microGpt() {
		return new ExperimentSpecParser().parseYaml("""
				name: micro-gpt-%s
				source: examples/micro-gpt
				command: python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 2m}
				parameters:
				  lr:      {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				  n_embd:  {type: int, min: 8, max: 64, default: 16}
				  act:     {type: choice, values: [tanh, relu], default: tanh}
				noise: {replicates: 2, min_delta: 0.0}
				""".formatted(UUID.randomUUID().toString().substring(0, 8)));
	}
}
