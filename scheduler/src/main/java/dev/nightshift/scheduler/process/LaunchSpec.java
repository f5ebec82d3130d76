package dev.nightshift.scheduler.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run and how long it may take.
 *
 * @param command         the argument vector, e.g. {@code ["bash", "-c", "python3 train.py"]}; the sandbox, where
 *                        there is one, comes first
 * @param workDir         the working directory: the run's checkout
 * @param runDir          a directory of its own for this run, where the wrapper, the log and the exit status live
 * @param environment     the complete environment of the command: it gets only this, plus the run's cookie
 * @param budget          wall-clock time from the start after which the process tree is stopped
 * @param grace           how long a stopped process has between SIGTERM and SIGKILL
 * @param objectiveMetric the metric whose last value is the run's objective
 */
public record LaunchSpec(List<String> command, Path workDir, Path runDir, Map<String, String> environment,
		Duration budget, Duration grace, String objectiveMetric) {

	/** The environment variable naming the optional JSON-lines metrics file (SPEC section 3). */
	public static final String METRICS_FILE_VARIABLE = "NIGHTSHIFT_METRICS";

	public LaunchSpec {
		command = List.copyOf(command);
		if (command.isEmpty()) {
			throw new IllegalArgumentException("command must not be empty");
		}
		Objects.requireNonNull(workDir, "workDir");
		Objects.requireNonNull(runDir, "runDir");
		environment = Map.copyOf(environment);
		if (budget.isNegative() || budget.isZero()) {
			throw new IllegalArgumentException("budget must be positive: " + budget);
		}
		if (grace.isNegative()) {
			throw new IllegalArgumentException("grace must not be negative: " + grace);
		}
		Objects.requireNonNull(objectiveMetric, "objectiveMetric");
	}

	/** The metrics file the command was told about, resolved against the working directory; null when none. */
	public Path metricsFile() {
		String named = environment.get(METRICS_FILE_VARIABLE);
		return named == null || named.isBlank() ? null : workDir.toAbsolutePath().resolve(named);
	}
}
