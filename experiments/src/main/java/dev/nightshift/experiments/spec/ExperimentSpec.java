package dev.nightshift.experiments.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment's specification (SPEC section 2), as read by {@link ExperimentSpecParser}. Optional parts are
 * filled with their defaults here, so a reader never meets a null except {@link #source()}.
 *
 * @param name short identifier, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}
 * @param source git repository or folder holding the training program; null when the command runs in an empty
 *     managed repository
 * @param command the command line a run executes
 * @param editable globs of the files an agent may patch; empty when no file is editable
 * @param objective the metric and its direction
 * @param budget the per-run wall-clock budget
 * @param parameters the search space by parameter name, in the order the spec lists them
 * @param resources what one run needs; {@link Resources#CPU} by default
 * @param noise replicate and minimum-improvement settings; {@link Noise#DEFAULT} by default
 * @param brief the research brief given to agents; empty by default
 * @param pruning how hopeless runs are stopped early; null when the spec has no {@code pruning} block, and then
 *     nothing is pruned
 * @param execution where the runs execute (the {@code executor} and {@code slurm} keys); {@link Execution#DEFAULT},
 *     the server's default executor, when the spec names none
 */
public record ExperimentSpec(
		String name,
		String source,
		String command,
		List<String> editable,
		Objective objective,
		Budget budget,
		Map<String, ParameterSpec> parameters,
		Resources resources,
		Noise noise,
		String brief,
		Pruning pruning,
		Execution execution) {

	public ExperimentSpec {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(command, "command");
		Objects.requireNonNull(objective, "objective");
		Objects.requireNonNull(budget, "budget");
		editable = editable == null ? List.of() : List.copyOf(editable);
		// A plain Map.copyOf would lose the file order, which the UI and the agents' digest show.
		parameters = parameters == null
				? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
		parameters.forEach((key, value) -> Objects.requireNonNull(value, key));
		resources = resources == null ? Resources.CPU : resources;
		noise = noise == null ? Noise.DEFAULT : noise;
		brief = brief == null ? "" : brief;
		execution = execution == null ? Execution.DEFAULT : execution;
	}

	/** A specification that leaves the executor to the server, as every spec did before {@code executor} existed. */
	public ExperimentSpec(String name, String source, String command, List<String> editable, Objective objective,
			Budget budget, Map<String, ParameterSpec> parameters, Resources resources, Noise noise, String brief,
			Pruning pruning) {
		this(name, source, command, editable, objective, budget, parameters, resources, noise, brief, pruning, null);
	}

	/** A specification without pruning, as every spec was before the {@code pruning} block existed. */
	public ExperimentSpec(String name, String source, String command, List<String> editable, Objective objective,
			Budget budget, Map<String, ParameterSpec> parameters, Resources resources, Noise noise, String brief) {
		this(name, source, command, editable, objective, budget, parameters, resources, noise, brief, null, null);
	}
}
