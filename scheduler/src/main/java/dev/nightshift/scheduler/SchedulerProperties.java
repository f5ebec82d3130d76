package dev.nightshift.scheduler;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the scheduler.
 *
 * @param cpuSlots   how many runs execute at once on a machine without GPUs (default 1)
 * @param nvidiaSmi  the {@code nvidia-smi} program used to find GPUs (default: looked up on PATH)
 * @param tick       how often the safety tick looks for queued runs and free slots, besides the immediate
 *                   dispatch on every approval and every finished run (default 10 s)
 * @param grace      how long a run has between SIGTERM and SIGKILL when its budget is spent (default 10 s)
 * @param sourceRoot the folder (a plain path, not a Spring resource location) a relative {@code source} of an experiment is resolved against (default: the
 *                   server's working directory)
 * @param gitTimeout how long one git command on a managed repository may take; one that hangs is killed with
 *                   everything it started, and the work that needed it fails naming the command (default 2 min)
 * @param telemetry  how often the slots' load is sampled and the runs' usage written
 * @param workspacePrefetch whether the next queued runs' checkouts are made while the slots train, so that a claim
 *                   only spawns (default true; false makes every claim check out its code, as the duty-cycle
 *                   benchmark's comparison does)
 */
@ConfigurationProperties("nightshift.scheduler")
public record SchedulerProperties(Integer cpuSlots, String nvidiaSmi, Duration tick, Duration grace, String sourceRoot,
		Duration gitTimeout, Telemetry telemetry, Boolean workspacePrefetch) {

	public SchedulerProperties {
		cpuSlots = cpuSlots == null ? 1 : cpuSlots;
		if (cpuSlots < 1) {
			throw new IllegalArgumentException("nightshift.scheduler.cpu-slots must be at least 1, was " + cpuSlots);
		}
		nvidiaSmi = nvidiaSmi == null || nvidiaSmi.isBlank() ? "nvidia-smi" : nvidiaSmi;
		tick = tick == null ? Duration.ofSeconds(10) : tick;
		grace = grace == null ? Duration.ofSeconds(10) : grace;
		gitTimeout = gitTimeout == null ? Duration.ofMinutes(2) : gitTimeout;
		if (gitTimeout.isNegative() || gitTimeout.isZero()) {
			throw new IllegalArgumentException("nightshift.scheduler.git-timeout must be positive, was " + gitTimeout);
		}
		telemetry = telemetry == null ? new Telemetry(null, null) : telemetry;
		workspacePrefetch = workspacePrefetch == null || workspacePrefetch;
		sourceRoot = Path.of(sourceRoot == null ? "" : sourceRoot).toAbsolutePath().normalize().toString();
	}

	/**
	 * Sampling of the slots' load ({@code nightshift.scheduler.telemetry.*}).
	 *
	 * @param interval between two samples: one {@code nvidia-smi} call for all GPUs, or a look at the process tree in
	 *                 {@code /proc} of each run without a GPU (default 5 s)
	 * @param flush    how often the running aggregates of a run are written to it besides at its end; a crash
	 *                 loses at most this much of them (default 1 min)
	 */
	public record Telemetry(Duration interval, Duration flush) {

		public Telemetry {
			interval = interval == null ? Duration.ofSeconds(5) : interval;
			flush = flush == null ? Duration.ofMinutes(1) : flush;
			if (interval.isNegative() || interval.isZero() || flush.isNegative() || flush.isZero()) {
				throw new IllegalArgumentException(
						"nightshift.scheduler.telemetry.interval and .flush must be positive, were " + interval + " and " + flush);
			}
		}
	}

	/** The folder relative sources are resolved against, absolute. */
	public Path sourceRootPath() {
		return Path.of(sourceRoot);
	}
}
