package dev.nightshift.scheduler.slurm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Slurm says about a set of jobs: ONE {@code squeue} call for all of them, however many (one call per job
 * overloads {@code slurmctld} on a busy cluster), and {@code scontrol show job -o} only for a job {@code squeue} no
 * longer lists, which happens once per job, when it has left the queue. {@code sacct} would need the accounting
 * daemon, which not every cluster runs.
 */
final class JobQueue {

	/** One job's state and, once it started, when. */
	record Observation(JobState state, Instant started) {
	}

	private static final Pattern STATE = Pattern.compile("(?:^|\\s)JobState=(\\S+)");
	private static final Pattern START = Pattern.compile("(?:^|\\s)StartTime=(\\S+)");

	private final SlurmCommands commands;

	JobQueue(SlurmCommands commands) {
		this.commands = commands;
	}

	/**
	 * The state of each job in {@code jobIds}; a job Slurm does not know is {@link JobState#VANISHED}.
	 *
	 * @throws SlurmException when Slurm cannot be asked (its controller is down): nothing is concluded then
	 */
	Map<String, Observation> observe(Collection<String> jobIds) {
		Map<String, Observation> seen = new LinkedHashMap<>();
		if (jobIds.isEmpty()) {
			return seen;
		}
		SlurmCommands.Result queue = commands.run("squeue",
				List.of("--noheader", "--states=all", "--format=%i|%T|%S", "--jobs=" + String.join(",", jobIds)));
		// squeue lists the jobs it knows; it fails only when it knows none of them.
		if (!queue.ok() && !unknownJob(queue)) {
			throw new SlurmException("squeue failed (exit " + queue.exitCode() + "): " + queue.err().strip());
		}
		for (String line : queue.out().lines().toList()) {
			String[] fields = line.strip().split("\\|", -1);
			if (fields.length >= 3 && jobIds.contains(fields[0])) {
				seen.put(fields[0], new Observation(JobState.parse(fields[1]), time(fields[2])));
			}
		}
		for (String id : jobIds) {
			if (!seen.containsKey(id)) {
				seen.put(id, leftTheQueue(id));
			}
		}
		return seen;
	}

	/** A job squeue did not list: scontrol may still know it; if not, it vanished. */
	private Observation leftTheQueue(String id) {
		SlurmCommands.Result job = commands.run("scontrol", List.of("show", "job", "-o", id));
		if (!job.ok()) {
			if (unknownJob(job)) {
				return new Observation(JobState.VANISHED, null);
			}
			throw new SlurmException("scontrol show job " + id + " failed (exit " + job.exitCode() + "): "
					+ job.err().strip());
		}
		Matcher state = STATE.matcher(job.out());
		if (!state.find()) {
			return new Observation(JobState.VANISHED, null);
		}
		Matcher start = START.matcher(job.out());
		return new Observation(JobState.parse(state.group(1)), start.find() ? time(start.group(1)) : null);
	}

	private static boolean unknownJob(SlurmCommands.Result result) {
		return (result.err() + result.out()).contains("Invalid job id");
	}

	/** Slurm prints local times without a zone; "N/A", "Unknown" and "None" mean not started. */
	private static Instant time(String text) {
		try {
			return LocalDateTime.parse(text.strip()).atZone(ZoneId.systemDefault()).toInstant();
		}
		catch (DateTimeParseException notATime) {
			return null;
		}
	}
}
