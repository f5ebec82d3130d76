package dev.nightshift.experiments.spec;

import java.util.List;

/**
 * Reads the optional {@code executor} key and {@code slurm} block of a specification into an {@link Execution},
 * recording a violation for a value Nightshift would not pass on to Slurm as it is.
 */
final class ExecutionReader {

	private static final List<String> SLURM_KEYS = List.of("partition", "account", "qos", "sbatch");

	/** Most extra sbatch options. */
	static final int MAX_SBATCH_FLAGS = 20;

	private ExecutionReader() {}

	/** Null when a value is invalid (the violation is recorded). */
	static Execution read(SpecNode spec) {
		String executor = spec.nonBlankText("executor", false);
		boolean valid = true;
		if (executor != null && !Execution.EXECUTORS.contains(executor)) {
			spec.violation("executor", "one-of",
					"executor '" + executor + "' must be one of " + String.join(", ", Execution.EXECUTORS));
			valid = false;
		}
		SpecNode slurm = spec.object("slurm", false);
		if (slurm == null) {
			return valid ? new Execution(executor, null, null, null, List.of()) : null;
		}
		if ("local".equals(executor)) {
			spec.violation("slurm", "conflict", "a slurm block needs executor: slurm (or no executor, with the server's"
					+ " default slurm); this spec says executor: local");
			valid = false;
		}
		slurm.rejectUnknownKeys(SLURM_KEYS);
		String partition = name(slurm, "partition");
		String account = name(slurm, "account");
		String qos = name(slurm, "qos");
		int before = slurm.violations().size();
		List<String> flags = slurm.textList("sbatch", false, (field, flag) -> checkFlag(slurm, field, flag));
		if (flags != null && flags.size() > MAX_SBATCH_FLAGS) {
			slurm.violation(slurm.pathOf("sbatch"), "out-of-range",
					"has " + flags.size() + " options; at most " + MAX_SBATCH_FLAGS + " are allowed");
		}
		valid &= slurm.violations().size() == before;
		return valid ? new Execution(executor, partition, account, qos, flags) : null;
	}

	private static String name(SpecNode slurm, String key) {
		String value = slurm.nonBlankText(key, false);
		if (value != null && !Execution.SLURM_NAME.matcher(value).matches()) {
			slurm.violation(slurm.pathOf(key), "pattern", key + " '" + value + "' must be 1 to 64 letters, digits, '.',"
					+ " '_' or '-', starting with a letter or digit");
			return null;
		}
		return value;
	}

	private static void checkFlag(SpecNode slurm, String field, String flag) {
		if (!Execution.SBATCH_FLAG.matcher(flag).matches()) {
			slurm.violation(field, "pattern", "'" + flag + "' must be one long sbatch option, --name or --name=value,"
					+ " without spaces (e.g. --mem=8G)");
			return;
		}
		String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
		if (Execution.RESERVED_FLAGS.contains(name)) {
			slurm.violation(field, "reserved", "'" + name + "' is set by Nightshift (from the run, the budget, the"
					+ " resources or the slurm block's own keys) and cannot be given here");
		}
	}
}
