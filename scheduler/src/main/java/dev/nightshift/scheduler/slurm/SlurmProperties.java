package dev.nightshift.scheduler.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Slurm executor.
 *
 * @param maxJobs             how many runs this server keeps submitted to Slurm at once, pending or running; the
 *                            research loop's lookahead plans with it for Slurm experiments (default 4)
 * @param sharedRoots         folders the Slurm nodes see at the same path (an NFS or parallel file system mount);
 *                            when set, a run directory outside them is refused before submitting. When empty, only
 *                            a run directory on a memory file system or under {@code /dev/shm} or {@code /run} is
 *                            refused, since no node can see it
 * @param poll                how often the server asks Slurm about its jobs, with one {@code squeue} call for all
 *                            of them (default 5 s)
 * @param nodesHaveBubblewrap whether the nodes have bubblewrap as this machine does; when false, runs that need
 *                            the sandbox are refused before submitting and trusted runs are not contained
 *                            (default true)
 * @param commandTimeout      how long one Slurm command may take before it is given up (default 60 s)
 * @param binDir              the folder of {@code sbatch}, {@code squeue}, {@code scontrol} and {@code scancel};
 *                            empty to find them on PATH
 */
@ConfigurationProperties("nightshift.slurm")
public record SlurmProperties(Integer maxJobs, List<String> sharedRoots, Duration poll, Boolean nodesHaveBubblewrap,
		Duration commandTimeout, String binDir) {

	public SlurmProperties {
		maxJobs = maxJobs == null ? 4 : maxJobs;
		if (maxJobs < 1) {
			throw new IllegalArgumentException("nightshift.slurm.max-jobs must be at least 1, was " + maxJobs);
		}
		sharedRoots = sharedRoots == null ? List.of() : List.copyOf(sharedRoots);
		poll = poll == null ? Duration.ofSeconds(5) : poll;
		if (poll.isNegative() || poll.isZero()) {
			throw new IllegalArgumentException("nightshift.slurm.poll must be positive, was " + poll);
		}
		nodesHaveBubblewrap = nodesHaveBubblewrap == null || nodesHaveBubblewrap;
		commandTimeout = commandTimeout == null ? Duration.ofSeconds(60) : commandTimeout;
		binDir = binDir == null ? "" : binDir.strip();
	}

	/** The shared roots as absolute, normalized paths. */
	List<Path> sharedRootPaths() {
		return sharedRoots.stream().map(root -> Path.of(root).toAbsolutePath().normalize()).toList();
	}
}
