package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nightshift.experiments.run.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pruned run is stopped like a timed-out one, and the reason outlives the server that decided it. */
class RunPruningStopTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);
	private static final String REASON = "median rule: val_loss 9 at step 2 is worse than the median 1 of 5 runs";

	@TempDir
	Path temp;

	private final RunSupervisor supervisor = new RunSupervisor();
	private final RecordingListener listener = new RecordingListener();

	@Test
	void aPrunedRunIsStoppedWithEverythingItStartedAndKeepsItsReason() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                ( setsid sleep 1000 & )
                echo "step=1 val_loss=9"
                echo "step=2 val_loss=9"
                sleep 1000
                """);
		SupervisedRun run = supervisor.start(training.spec(), listener);
		await().atMost(PATIENCE).until(() -> listener.values("val_loss").equals(List.of(9.0, 9.0)));

		run.prune(REASON);
		ProcessResult result = run.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.PRUNED);
		assertThat(result.prunedBecause()).isEqualTo(REASON);
		assertThat(result.objective()).as("the partial curve's last value").isEqualTo(9.0);
		assertThat(result.exitCode()).isEqualTo(128 + 15);
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
		assertThat(Files.readAllLines(training.runDir().resolve("stop"))).containsExactly("PRUNE", REASON);
	}

	@Test
	void aServerThatTakesUpAPrunedRunAfterARestartStillSeesItPruned() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                echo "val_loss: 4"
                sleep 1000
                """);
		SupervisedRun run = supervisor.start(training.spec(), listener);
		await().atMost(PATIENCE).until(() -> listener.values("val_loss").equals(List.of(4.0)));
		run.prune(REASON + "\nsecond line");
		run.await(PATIENCE).orElseThrow();

		ProcessResult recovered = supervisor.attach(training.runDir(), RunListener.IGNORE).orElseThrow()
			.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(recovered)).isEqualTo(RunStatus.PRUNED);
		assertThat(recovered.prunedBecause()).isEqualTo(REASON + " second line");
	}

	@Test
	void aRunThatWasNeverPrunedHasNoPruningReason() throws Exception {
		ProcessResult result = supervisor.start(TrainingRun.bash(temp, "echo 'val_loss: 1'\n").spec(), listener)
			.await(PATIENCE).orElseThrow();

		assertThat(result.prunedBecause()).isNull();
		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.SUCCEEDED);
	}
}
