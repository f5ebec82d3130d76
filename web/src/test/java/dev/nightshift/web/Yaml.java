package dev.nightshift.web;

import java.util.UUID;

/** Experiment files for web tests, each with a fresh name. */
public final class Yaml {

	private Yaml() {
	}

	/** The demo's search space with a command that answers at once, for tests about anything but training. */
	public static String microGpt() {
		return """
				name: micro-gpt-%s
				command: "echo 'val_loss: 2.0'"
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 2m}
				parameters:
				  lr:      {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				  n_embd:  {type: int, min: 8, max: 64, default: 16}
				  act:     {type: choice, values: [tanh, relu], default: tanh}
				resources: {gpus: 0}
				noise: {replicates: 2, min_delta: 0.0}
				brief: |
				  Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8));
	}
}
