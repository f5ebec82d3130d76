package dev.nightshift.experiments.spec;

import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a specification as a JSON tree with the keys of the YAML form, every default spelled out and keys in one
 * fixed order, so that equal specs give equal text and the tree reads back to an equal spec.
 */
final class SpecJsonWriter {

	private SpecJsonWriter() {}

	static ObjectNode write(ExperimentSpec spec) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		ObjectNode root = nodes.objectNode();
		root.put("name", spec.name());
		if (spec.source() == null) {
			root.putNull("source");
		} else {
			root.put("source", spec.source());
		}
		root.put("command", spec.command());
		spec.editable().forEach(root.putArray("editable")::add);
		root.putObject("objective")
				.put("metric", spec.objective().metric())
				.put("goal", spec.objective().goal().text());
		root.putObject("budget").put("run", Durations.format(spec.budget().run()));
		ObjectNode parameters = root.putObject("parameters");
		for (Map.Entry<String, ParameterSpec> entry : spec.parameters().entrySet()) {
			writeParameter(parameters.putObject(entry.getKey()), entry.getValue());
		}
		root.putObject("resources").put("gpus", spec.resources().gpus());
		root.putObject("noise")
				.put("replicates", spec.noise().replicates())
				.put("min_delta", spec.noise().minDelta());
		root.put("brief", spec.brief());
		if (spec.pruning() != null) {
			writePruning(root.putObject("pruning"), spec.pruning());
		}
		writeExecution(root, spec.execution());
		return root;
	}

	/** Left out when absent, so that the stored text of a spec without pruning is what it always was. */
	private static void writePruning(ObjectNode node, Pruning pruning) {
		node.put("rule", pruning.rule().text())
				.put("metric", pruning.metric())
				.put("goal", pruning.goal().text());
		// Always written: an absent warmup reads as the default, so "none" must say so.
		node.put("warmup", pruning.warmup().text());
		node.put("min_runs", pruning.minRuns());
		if (pruning.rule() == Pruning.Rule.ASHA) {
			node.put("reduction_factor", pruning.reductionFactor());
			pruning.rungs().forEach(node.putArray("rungs")::add);
		}
	}

	/** Left out when the spec names no executor, so that the stored text of older specs is what it always was. */
	private static void writeExecution(ObjectNode root, Execution execution) {
		if (execution.executor() != null) {
			root.put("executor", execution.executor());
		}
		if (execution.hasSlurmOptions()) {
			ObjectNode slurm = root.putObject("slurm");
			if (execution.partition() != null) {
				slurm.put("partition", execution.partition());
			}
			if (execution.account() != null) {
				slurm.put("account", execution.account());
			}
			if (execution.qos() != null) {
				slurm.put("qos", execution.qos());
			}
			if (!execution.sbatchFlags().isEmpty()) {
				execution.sbatchFlags().forEach(slurm.putArray("sbatch")::add);
			}
		}
	}

	private static void writeParameter(ObjectNode node, ParameterSpec parameter) {
		node.put("type", parameter.type());
		if (parameter instanceof FloatParameter f) {
			node.put("min", f.min()).put("max", f.max()).put("log", f.log()).put("default", f.defaultValue());
		} else if (parameter instanceof IntParameter i) {
			node.put("min", i.min()).put("max", i.max()).put("log", i.log()).put("default", i.defaultValue());
		} else if (parameter instanceof ChoiceParameter c) {
			c.values().forEach(node.putArray("values")::add);
			node.put("default", c.defaultValue());
		}
	}
}
