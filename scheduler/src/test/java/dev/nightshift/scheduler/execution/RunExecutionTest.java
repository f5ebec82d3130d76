package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** Approved proposals become real processes under the run contract, and every outcome is recorded. */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class RunExecutionTest {

	@Autowired
	TrainingPrograms programs;

	@Autowired
	RunRepository runs;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	MetricPoints metrics;

	@Autowired
	NightshiftHome home;

	@Autowired
	CancelRun cancel;

	@Test
	void approvedProposalRunsUnderTheRunContractAndSucceeds() throws Exception {
		Experiment experiment = programs.shellExperiment("""
				env | sort > "$NIGHTSHIFT_OUT/env.txt"
				cp "$NIGHTSHIFT_PARAMS" "$NIGHTSHIFT_OUT/params.json"
				echo "step=1 loss=2.5"
				printf 'step=2 loss=2.0\\rstep=3 loss=1.8\\n'
				echo '{"step": 4, "loss": 1.7}'
				echo '{"val_acc": 0.5}' >> "$NIGHTSHIFT_METRICS"
				echo ---
				echo "val_loss:          1.500000"
				""", "1m", 0);
		Proposal proposal = programs.approve(experiment, Map.of("lr", 0.01), null);

		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(run.objective()).contains(1.5);
		assertThat(run.exitCode()).contains(0);
		assertThat(run.commit()).hasValueSatisfying(commit -> assertThat(commit).matches("[0-9a-f]{40}"));
		assertThat(run.params()).containsEntry("lr", 0.01).containsEntry("width", 8);
		assertThat(proposals.require(proposal.id()).status()).isEqualTo(ProposalStatus.DONE);

		List<MetricPoint> loss = metrics.of(run.id(), "loss");
		assertThat(loss).extracting(MetricPoint::step).containsExactly(1L, 2L, 3L, 4L);
		assertThat(loss).extracting(MetricPoint::value).containsExactly(2.5, 2.0, 1.8, 1.7);
		assertThat(metrics.of(run.id(), "val_acc")).extracting(MetricPoint::value).containsExactly(0.5);

		Path out = home.runsDirectory().resolve(run.id().toString()).resolve("out");
		List<String> env = Files.readAllLines(out.resolve("env.txt"));
		assertThat(env).contains("LR=0.01", "WIDTH=8", "NIGHTSHIFT_RUN_ID=" + run.id(), "NIGHTSHIFT_TIME_BUDGET_S=60",
				"CUDA_VISIBLE_DEVICES=");
		assertThat(env).anyMatch(line -> line.startsWith("NIGHTSHIFT_METRICS="));
		assertThat(env).noneMatch(line -> line.startsWith("SPRING_") || line.startsWith("JAVA_HOME"));
		assertThat(Files.readString(out.resolve("params.json"))).contains("\"lr\":0.01").contains("\"width\":8");
		assertThat(Files.readString(home.runsDirectory().resolve(run.id().toString()).resolve("run.log")))
			.contains("val_loss:          1.500000");
	}

	@Test
	void everyFailureIsClassified() {
		Map<String, RunStatus> expected = Map.of(
				"echo 'val_loss: 1.0'; echo 'Traceback: boom' >&2; exit 1", RunStatus.FAILED,
				"echo 'val_loss: nan'", RunStatus.DIVERGED,
				"echo 'training done'", RunStatus.NO_METRIC,
				"echo 'MemoryError' >&2; exit 1", RunStatus.OOM);
		expected.forEach((script, outcome) -> {
			Proposal proposal = programs.approve(programs.shellExperiment(script, "1m", 0), Map.of("lr", 0.01), null);
			Run run = programs.finishedRunOf(proposal);
			assertThat(run.status()).as(script).isEqualTo(outcome);
		});
	}

	@Test
	void runFloodingItsLogIsStillClassifiedByItsLastLines() {
		// 300 MB of output without a metric, then the summary: the log is tailed in fixed buffers.
		Proposal proposal = programs.approve(programs.shellExperiment(
				"yes 'step=1 loss=not-a-number' | head -c 300000000\necho 'val_loss: 1.25'\n", "2m", 0),
				Map.of("lr", 0.01), null);
		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(run.objective()).contains(1.25);
	}

	@Test
	void failedRunKeepsTheEndOfItsLogAsTheReason() {
		Proposal proposal = programs.approve(
				programs.shellExperiment("echo 'Traceback: KeyError lr' >&2; exit 3", "1m", 0), Map.of("lr", 0.01), null);
		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.FAILED);
		assertThat(run.exitCode()).contains(3);
		assertThat(run.error()).hasValueSatisfying(error -> assertThat(error).contains("exited with code 3")
			.contains("KeyError lr"));
	}

	@Test
	void hangingRunIsStoppedAtItsBudgetWithNothingLeftBehind() throws Exception {
		// The run has a PID namespace of its own, so its pids mean nothing here: a word marks its grandchild.
		String word = "hanging-" + UUID.randomUUID();
		Proposal proposal = programs.approve(programs.shellExperiment("""
				(setsid sh -c 'sleep 300; : %s' &)
				sleep 300
				""".formatted(word), "3s", 0), Map.of("lr", 0.01), null);
		await().atMost(Duration.ofMinutes(2)).until(() -> !RunProcesses.withWord(word).isEmpty());
		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
		await().atMost(Duration.ofSeconds(10)).until(() -> RunProcesses.withWord(word).isEmpty());
	}

	@Test
	void twoGpuRunsExecuteAtTheSameTimeOnGpuZeroAndOne() throws Exception {
		Path meeting = Files.createTempDirectory("meeting");
		// Each run announces its GPU and waits until the other one has too: both can only finish together.
		String script = """
				echo "$CUDA_VISIBLE_DEVICES" > %1$s/gpu-$NIGHTSHIFT_RUN_ID
				while [ "$(ls %1$s | wc -l)" -lt 2 ]; do sleep 0.1; done
				echo "val_loss: 1.0"
				""".formatted(meeting);
		Experiment experiment = programs.shellExperiment(script, "1m", 1);
		Proposal first = programs.approve(experiment, Map.of("lr", 0.01), null);
		Proposal second = programs.approve(experiment, Map.of("lr", 0.02), null);

		Run a = programs.finishedRunOf(first);
		Run b = programs.finishedRunOf(second);
		assertThat(List.of(a.status(), b.status())).containsOnly(RunStatus.SUCCEEDED);
		assertThat(List.of(a.gpuIds().orElseThrow(), b.gpuIds().orElseThrow())).containsExactlyInAnyOrder("0", "1");
		try (var files = Files.list(meeting)) {
			assertThat(files.map(f -> {
				try {
					return Files.readString(f).strip();
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).toList()).containsExactlyInAnyOrder("0", "1");
		}
	}

	@Test
	void runWhoseWrapperCouldNotRecordItsEndIsLostNotFailedAndQueuedAgainOnce() {
		Proposal proposal = programs.approve(programs.shellExperiment("echo started; sleep 300", "10m", 0),
				Map.of("lr", 0.01), null);

		// As on a full disk: every process ends and no exit status gets written.
		Run first = killWrapperOfRunningRun(proposal, null);
		Run lost = await().atMost(Duration.ofMinutes(2)).until(() -> runs.require(first.id()), r -> r.status().isFinished());
		assertThat(lost.status()).isEqualTo(RunStatus.LOST);
		assertThat(lost.error()).hasValueSatisfying(reason -> assertThat(reason).contains("recorded no exit status"));
		assertThat(home.runsDirectory().resolve(first.id().toString()).resolve("exit")).doesNotExist();

		Run second = killWrapperOfRunningRun(proposal, first);
		await().atMost(Duration.ofMinutes(2)).until(() -> runs.require(second.id()).status() == RunStatus.LOST);
		await().atMost(Duration.ofMinutes(1)).until(() -> proposals.require(proposal.id()).status() == ProposalStatus.DONE);
		assertThat(runs.findAll().stream().filter(r -> r.proposalId().map(proposal.id()::equals).orElse(false)))
			.as("queued again once, not a third time").hasSize(2);
	}

	/** Waits for the proposal's run other than {@code earlier} to run, then SIGKILLs its wrapper. */
	private Run killWrapperOfRunningRun(Proposal proposal, Run earlier) {
		Run running = await().atMost(Duration.ofMinutes(2)).until(() -> runs.findAll().stream()
			.filter(r -> r.proposalId().map(proposal.id()::equals).orElse(false))
			.filter(r -> earlier == null || !r.id().equals(earlier.id()))
			.findFirst()
			.orElse(null), r -> r != null && r.status() == RunStatus.RUNNING && r.pid().isPresent());
		ProcessHandle.of(running.pid().get()).ifPresent(ProcessHandle::destroyForcibly);
		return running;
	}

	@Test
	void runningRunIsCancelled() {
		Proposal proposal = programs.approve(programs.shellExperiment("echo started; sleep 300", "10m", 0),
				Map.of("lr", 0.01), null);
		RunId id = await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(proposal), r -> r != null
				&& r.status() == RunStatus.RUNNING).id();
		assertThat(cancel.cancel(id, "human:test")).isEqualTo(CancelRun.Result.STOPPING);
		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
		assertThat(proposals.require(proposal.id()).status()).isEqualTo(ProposalStatus.DONE);
	}

	@Test
	void queuedRunIsCancelledAndItsProposalWithdrawn() throws Exception {
		Path gate = Files.createTempDirectory("gate").resolve("open");
		Experiment experiment = programs.shellExperiment("""
				while [ ! -e %s ]; do sleep 0.1; done
				echo "val_loss: 1.0"
				""".formatted(gate), "1m", 1);
		// Both GPU slots are taken, so the third run waits in the queue.
		Proposal first = programs.approve(experiment, Map.of("lr", 0.01), null);
		Proposal second = programs.approve(experiment, Map.of("lr", 0.02), null);
		await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(first) != null && programs.runOf(second) != null
				&& programs.runOf(first).status() == RunStatus.RUNNING && programs.runOf(second).status() == RunStatus.RUNNING);
		Proposal third = programs.approve(experiment, Map.of("lr", 0.03), null);
		Run queued = await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(third), r -> r != null);
		assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);

		assertThat(cancel.cancel(queued.id(), "human:test")).isEqualTo(CancelRun.Result.CANCELLED);
		Files.createFile(gate);

		assertThat(programs.finishedRunOf(third).status()).isEqualTo(RunStatus.CANCELLED);
		assertThat(proposals.require(third.id()).status()).isEqualTo(ProposalStatus.WITHDRAWN);
		assertThat(programs.finishedRunOf(first).status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(programs.finishedRunOf(second).status()).isEqualTo(RunStatus.SUCCEEDED);
	}

	@Test
	void patchThatDoesNotApplyFailsTheRunWithTheReason() {
		String patch = """
				--- a/train.sh
				+++ b/train.sh
				@@ -1 +1 @@
				-echo "this line is not in the file"
				+echo "val_loss: 0.1"
				""";
		Proposal proposal = programs.approve(programs.shellExperiment("echo 'val_loss: 1.0'\n", "1m", 0), Map.of(), patch);
		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.FAILED);
		assertThat(run.error()).hasValueSatisfying(error -> assertThat(error).contains("train.sh"));
	}

	@Test
	void patchedRunExecutesInTheSandboxFromItsOwnCommit() {
		String patch = """
				--- a/train.sh
				+++ b/train.sh
				@@ -1 +1,2 @@
				-echo "val_loss: 1.0"
				+echo "uid=$(id -u)"
				+echo "val_loss: 0.5"
				""";
		Proposal proposal = programs.approve(programs.shellExperiment("echo \"val_loss: 1.0\"\n", "1m", 0), Map.of(), patch);
		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(run.objective()).contains(0.5);
		assertThat(programs.log(run.id())).contains("uid=65534");
	}
}
