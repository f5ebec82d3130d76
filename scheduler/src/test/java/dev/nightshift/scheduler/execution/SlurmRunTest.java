package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * Runs of experiments with {@code executor: slurm} go through the real one-node Slurm ({@code .ci/slurm-up}) and end
 * as local runs end: the same outcome, metrics, log and environment; cancelled, stopped at their budget, killed for
 * their memory, or refused by sbatch with its reason.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class SlurmRunTest {

	private static final String ON_SLURM = "executor: slurm\n";

	@Autowired
	TrainingPrograms programs;

	@Autowired
	RunRepository runs;

	@Autowired
	MetricPoints metrics;

	@Autowired
	NightshiftHome home;

	@Autowired
	CancelRun cancel;

	@Autowired
	SandboxSupport support;

	@BeforeEach
	void slurm() {
		SlurmAvailable.require();
	}

	@Test
	void aRunThroughSlurmEndsWithTheOutcomeMetricsLogAndEnvironmentOfTheSameRunDoneLocally() throws Exception {
		String script = """
				env | sort > "$NIGHTSHIFT_OUT/env.txt"
				echo "step=1 loss=2.5"
				echo '{"step": 2, "loss": 1.7}'
				echo '{"val_acc": 0.5}' >> "$NIGHTSHIFT_METRICS"
				echo "val_loss:          1.500000"
				""";
		Run local = programs.finishedRunOf(programs.approve(programs.shellExperiment(script, "1m", 1),
				Map.of("lr", 0.01), null));
		Run slurm = programs.finishedRunOf(programs.approve(programs.shellExperiment(script, "1m", 1, ON_SLURM),
				Map.of("lr", 0.01), null));

		assertThat(slurm.status()).as(slurm.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(slurm.status()).isEqualTo(local.status());
		assertThat(slurm.objective()).isEqualTo(local.objective()).contains(1.5);
		assertThat(slurm.exitCode()).contains(0);
		assertThat(slurm.slot()).contains("slurm");
		assertThat(slurm.jobId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9]+"));
		for (String metric : List.of("loss", "val_acc", "val_loss")) {
			assertThat(values(slurm, metric)).as(metric).isEqualTo(values(local, metric)).isNotEmpty();
		}
		assertThat(programs.log(slurm.id())).isEqualTo(programs.log(local.id()));

		Map<String, String> localEnv = environment(local);
		Map<String, String> slurmEnv = environment(slurm);
		assertThat(slurmEnv.keySet()).as("the same variables, nothing of the server's or Slurm's")
			.isEqualTo(localEnv.keySet());
		assertThat(slurmEnv).containsEntry("LR", "0.01").containsEntry("WIDTH", "8")
			.containsEntry("NIGHTSHIFT_RUN_ID", slurm.id().toString()).containsEntry("PATH", localEnv.get("PATH"))
			.containsEntry("CUDA_VISIBLE_DEVICES", "0");
	}

	@Test
	void aRunningSlurmRunIsCancelled() {
		Proposal proposal = programs.approve(programs.shellExperiment("echo 'step=1 loss=2.0'\nsleep 300\n", "10m", 0,
				ON_SLURM), Map.of("lr", 0.01), null);
		Run running = await().atMost(Duration.ofMinutes(3)).until(() -> programs.runOf(proposal),
				run -> run != null && run.status() == RunStatus.RUNNING && !metrics.of(run.id(), "loss").isEmpty());

		assertThat(cancel.cancel(running.id(), "human:test")).isEqualTo(CancelRun.Result.STOPPING);

		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
		assertThat(programs.log(run.id())).contains("step=1 loss=2.0");
	}

	@Test
	void aSlurmRunPastItsBudgetIsTimedOut() {
		Run run = programs.finishedRunOf(programs.approve(programs.shellExperiment(
				"echo 'step=1 loss=2.0'\nsleep 300\n", "3s", 0, ON_SLURM), Map.of("lr", 0.01), null));

		assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.TIMED_OUT);
		assertThat(run.error()).hasValueSatisfying(error -> assertThat(error).contains("time budget of 3s"));
		assertThat(run.jobId()).isPresent();
	}

	@Test
	void aSlurmRunOverItsMemoryIsKilledBySlurmAndEndsOom() {
		String hog = """
				echo 'step=1 loss=2.0'
				python3 -c '
				import time
				held = []
				for _ in range(100):
				    held.append(bytearray(20 * 1024 * 1024))
				    time.sleep(0.05)
				'
				echo "val_loss: 1.0"
				""";
		Run run = programs.finishedRunOf(programs.approve(programs.shellExperiment(hog, "5m", 0,
				ON_SLURM + "slurm: {sbatch: [\"--mem=100M\"]}\n"), Map.of("lr", 0.01), null));

		assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.OOM);
		assertThat(Files.exists(runDir(run).resolve("slurm.out"))).isTrue();
	}

	@Test
	void aJobSbatchRefusesFailsTheRunWithSlurmsReason() {
		Run run = programs.finishedRunOf(programs.approve(programs.shellExperiment("echo 'val_loss: 1.0'\n", "1m", 0,
				ON_SLURM + "slurm: {partition: no-such-partition}\n"), Map.of("lr", 0.01), null));

		assertThat(run.status()).isEqualTo(RunStatus.FAILED);
		assertThat(run.error()).hasValueSatisfying(error -> assertThat(error).contains("sbatch refused the job")
			.containsIgnoringCase("partition"));
	}

	@Test
	void proposalCodeOnSlurmRunsInTheSandboxAsItDoesLocally() {
		assumeTrue(support.sandbox(), "the sandbox cannot start here: " + support.detail());
		Experiment experiment = programs.shellExperiment("echo \"val_loss: 1.0\"\n", "1m", 0, ON_SLURM);
		String patch = """
				train.sh
				<<<<<<< SEARCH
				echo "val_loss: 1.0"
				=======
				echo "uid=$(id -u)"
				head -c 300 /etc/shadow; echo "shadow=$?"
				echo "val_loss: 0.5"
				>>>>>>> REPLACE
				""";

		Run run = programs.finishedRunOf(programs.approve(experiment, Map.of("lr", 0.01), patch));

		assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(run.jobId()).isPresent();
		assertThat(programs.log(run.id())).contains("uid=65534", "shadow=1", "val_loss: 0.5").doesNotContain("root:");
	}

	@Test
	void proposalCodeAskingForGpusOnSlurmIsRefusedBeforeSubmitting() {
		Experiment experiment = programs.shellExperiment("echo \"val_loss: 1.0\"\n", "1m", 1, ON_SLURM);
		String patch = """
				train.sh
				<<<<<<< SEARCH
				echo "val_loss: 1.0"
				=======
				echo "val_loss: 0.5"
				>>>>>>> REPLACE
				""";

		Run run = programs.finishedRunOf(programs.approve(experiment, Map.of("lr", 0.01), patch));

		assertThat(run.status()).isEqualTo(RunStatus.FAILED);
		assertThat(run.jobId()).isEmpty();
		assertThat(run.error()).hasValueSatisfying(error -> assertThat(error).contains("on the Slurm nodes")
			.contains("sandbox").contains("not submitted"));
	}

	private List<Double> values(Run run, String metric) {
		return metrics.of(run.id(), metric).stream().map(MetricPoint::value).toList();
	}

	private Path runDir(Run run) {
		return home.runsDirectory().resolve(run.id().toString());
	}

	private Map<String, String> environment(Run run) throws IOException {
		return Files.readAllLines(runDir(run).resolve("out").resolve("env.txt")).stream()
			.filter(line -> line.contains("="))
			.map(line -> line.split("=", 2))
			.filter(pair -> !pair[0].equals("PWD") && !pair[0].equals("SHLVL") && !pair[0].equals("_"))
			.collect(Collectors.toMap(pair -> pair[0], pair -> pair[1], (a, b) -> b));
	}
}
