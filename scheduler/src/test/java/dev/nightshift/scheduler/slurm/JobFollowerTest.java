package dev.nightshift.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.process.JobFiles;
import dev.nightshift.scheduler.process.LaunchSpec;
import dev.nightshift.scheduler.process.Outcomes;
import dev.nightshift.scheduler.process.ProcessResult;
import dev.nightshift.scheduler.process.TailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower asks Slurm about all of its jobs with one {@code squeue} call per tick, and reads the end of each
 * job from its run directory. Slurm's tools are scripts here that record how they were called and answer from a
 * file, as the fake {@code nvidia-smi} does for GPUs; the real Slurm is in the web module's Slurm tests.
 */
class JobFollowerTest {

	@TempDir
	Path dir;

	private final Map<RunId, RunStatus> finished = new ConcurrentHashMap<>();
	private final Map<RunId, String> lost = new ConcurrentHashMap<>();
	private final List<RunId> freed = new ArrayList<>();
	private final List<Map.Entry<RunId, Instant>> started = new ArrayList<>();

	@Test
	void oneTickAsksSqueueOnceForEveryJobAndEndsThoseThatLeftTheRunningStates() throws Exception {
		Path bin = tools("""
				101|COMPLETED|2026-01-01T10:00:00
				102|RUNNING|2026-01-01T10:00:01
				103|PENDING|N/A
				104|OUT_OF_MEMORY|2026-01-01T10:00:02
				106|NODE_FAIL|2026-01-01T10:00:03
				""");
		JobFollower follower = follower(bin);
		for (int i = 1; i <= 6; i++) {
			follower.follow(job(i, i == 1 ? "val_loss: 1.5\n" : "step=1 loss=2.0\n", i == 1 ? "0" : null));
		}

		follower.tick();

		assertThat(calls(bin, "squeue")).singleElement()
			.satisfies(call -> assertThat(call).contains("--jobs=101,102,103,104,105,106"));
		// 105 is not in the queue any more: scontrol is asked about it alone, and does not know it either.
		assertThat(calls(bin, "scontrol")).containsExactly("show job -o 105");
		assertThat(finished).containsOnly(Map.entry(new RunId(1), RunStatus.SUCCEEDED),
				Map.entry(new RunId(4), RunStatus.OOM));
		assertThat(lost).containsOnlyKeys(new RunId(5), new RunId(6));
		assertThat(lost.get(new RunId(6))).contains("NODE_FAIL");
		assertThat(lost.get(new RunId(5))).contains("unknown to Slurm");
		assertThat(freed).containsExactlyInAnyOrder(new RunId(1), new RunId(4), new RunId(5), new RunId(6));

		// The running job's real start is recorded, once; the pending one has none yet.
		Instant start = LocalDateTime.parse("2026-01-01T10:00:01").atZone(ZoneId.systemDefault()).toInstant();
		assertThat(started).containsExactly(Map.entry(new RunId(2), start));

		follower.tick();
		assertThat(calls(bin, "squeue")).hasSize(2).last()
			.satisfies(call -> assertThat(call).contains("--jobs=102,103").doesNotContain("101"));
		assertThat(follower.size()).isEqualTo(2);
		assertThat(started).hasSize(1);
	}

	@Test
	void aJobTheServerCancelledAtItsBudgetEndsTimedOutThoughSlurmSaysCancelled() throws Exception {
		Path bin = tools("107|CANCELLED|2026-01-01T10:00:00\n");
		JobFollower follower = follower(bin);
		follower.follow(job(7, "step=1 loss=2.0\n", "143"));

		assertThat(follower.stop(new RunId(7), JobFiles::recordTimeout)).isTrue();
		assertThat(calls(bin, "scancel")).containsExactly("107");
		follower.tick();

		assertThat(finished).containsExactly(Map.entry(new RunId(7), RunStatus.TIMED_OUT));
	}

	@Test
	void aJobSlurmKilledForItsMemoryIsOomThoughSlurmSaysFailed() throws Exception {
		Path bin = tools("108|FAILED|2026-01-01T10:00:00\n");
		JobFollower follower = follower(bin);
		follower.follow(job(8, "step=1 loss=2.0\n", null));
		Files.writeString(dir.resolve("run-8").resolve(JobScript.OUTPUT),
				"slurmstepd: error: Exceeded job memory limit\n");

		follower.tick();

		assertThat(finished).containsExactly(Map.entry(new RunId(8), RunStatus.OOM));
	}

	private JobFollower follower(Path bin) {
		SlurmCommands commands = new SlurmCommands(bin.toString(), Duration.ofSeconds(30));
		return new JobFollower(new JobQueue(commands), commands, new JobFollower.Ending() {
			@Override
			public void started(RunId run, Instant at) {
				started.add(Map.entry(run, at));
			}

			@Override
			public RunStatus finished(RunId run, ProcessResult result, String budget) {
				RunStatus outcome = Outcomes.classify(result);
				finished.put(run, outcome);
				return outcome;
			}

			@Override
			public void lost(RunId run, String reason) {
				lost.put(run, reason);
			}

			@Override
			public void freed(RunId run) {
				freed.add(run);
			}
		});
	}

	/** A run directory as the wrapper leaves it: its log and, when the command ended, its exit status. */
	private JobFollower.Job job(int run, String log, String exit) throws IOException {
		Path runDir = Files.createDirectories(dir.resolve("run-" + run));
		LaunchSpec spec = new LaunchSpec(List.of("sh", "train.sh"), runDir, runDir, Map.of(), Duration.ofMinutes(5),
				Duration.ofSeconds(1), "val_loss");
		JobFiles.writeWrapper(spec);
		Files.writeString(runDir.resolve("run.log"), log);
		if (exit != null) {
			Files.writeString(runDir.resolve("exit"), exit + "\n");
		}
		JobFiles files = JobFiles.follow(runDir, batch -> { }, TailPosition.START).orElseThrow();
		return new JobFollower.Job(new RunId(run), Integer.toString(100 + run), files, Duration.ofMinutes(5), "5m");
	}

	/** Fake squeue (answers from a file), scontrol (knows no job) and scancel, each recording its arguments. */
	private Path tools(String queue) throws IOException {
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Files.writeString(bin.resolve("queue"), queue);
		write(bin, "squeue", "echo \"$*\" >> \"$(dirname \"$0\")/squeue.calls\"\ncat \"$(dirname \"$0\")/queue\"\n");
		write(bin, "scontrol", "echo \"$*\" >> \"$(dirname \"$0\")/scontrol.calls\"\n"
				+ "echo 'slurm_load_jobs error: Invalid job id specified' >&2\nexit 1\n");
		write(bin, "scancel", "echo \"$*\" >> \"$(dirname \"$0\")/scancel.calls\"\n");
		return bin;
	}

	private static void write(Path bin, String name, String body) throws IOException {
		Path script = bin.resolve(name);
		Files.writeString(script, "#!/bin/sh\n" + body);
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	private static List<String> calls(Path bin, String tool) throws IOException {
		Path file = bin.resolve(tool + ".calls");
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}
}
