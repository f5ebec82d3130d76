package dev.nightshift.experiments.spec;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an experiment's runs execute: the spec's optional {@code executor} and {@code slurm} keys.
 *
 * @param executor    {@code local} or {@code slurm}; null when the spec names none and the server's default
 *                    ({@code nightshift.executor}) applies
 * @param partition   the Slurm partition ({@code --partition}); null for the cluster's default
 * @param account     the Slurm account ({@code --account}); null for the user's default
 * @param qos         the Slurm quality of service ({@code --qos}); null for the default
 * @param sbatchFlags further {@code sbatch} options, each one {@code --name} or {@code --name=value}, such as
 *                    {@code --mem=8G} or {@code --constraint=a100}
 */
public record Execution(String executor, String partition, String account, String qos, List<String> sbatchFlags) {

	/** The spec names no executor: the server's default. */
	public static final Execution DEFAULT = new Execution(null, null, null, null, List.of());

	/** The executors a spec may name. */
	public static final List<String> EXECUTORS = List.of("local", "slurm");

	/** A partition, account or QOS name. */
	static final Pattern SLURM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	/** One extra sbatch option: a long option, with a value that holds no whitespace. */
	static final Pattern SBATCH_FLAG = Pattern.compile("--[a-z][a-z-]*(=\\S+)?");

	/** Options Nightshift sets itself: a spec may not override them. */
	static final List<String> RESERVED_FLAGS = List.of("--job-name", "--output", "--error", "--export", "--time",
			"--gres", "--gpus", "--chdir", "--wrap", "--parsable", "--partition", "--account", "--qos", "--input",
			"--open-mode", "--signal", "--get-user-env", "--uid", "--gid");

	public Execution {
		if (executor != null && !EXECUTORS.contains(executor)) {
			throw new IllegalArgumentException("executor must be one of " + EXECUTORS + ", got " + executor);
		}
		sbatchFlags = sbatchFlags == null ? List.of() : List.copyOf(sbatchFlags);
		sbatchFlags.forEach(flag -> Objects.requireNonNull(flag, "sbatch flag"));
	}

	/** Whether the spec has a {@code slurm} block. */
	public boolean hasSlurmOptions() {
		return partition != null || account != null || qos != null || !sbatchFlags.isEmpty();
	}

	/** The executor this experiment's runs use on a server whose default is {@code serverDefault}. */
	public String executorOr(String serverDefault) {
		return executor != null ? executor : serverDefault;
	}
}
