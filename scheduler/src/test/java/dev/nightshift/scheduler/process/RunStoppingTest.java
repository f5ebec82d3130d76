package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nightshift.experiments.run.RunStatus;

/** The budget, the grace period and cancellation: nothing a run started survives its end. */
class RunStoppingTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	private final RunSupervisor supervisor = new RunSupervisor();
	private final RecordingListener listener = new RecordingListener();

	@Test
	void aRunPastItsBudgetIsTimedOutAndNothingOfItIsLeft() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                echo "val_loss: 2.0"
                sleep 1000
                """).budget(Duration.ofSeconds(2));

		ProcessResult result = supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.TIMED_OUT);
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(128 + 15);
		assertThat(result.objective()).isEqualTo(2.0);
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
		assertThat(training.runDir().resolve("stop")).hasContent("TIMEOUT");
	}

	@Test
	void aRunThatIgnoresSigtermIsKilledWhenTheGracePeriodEnds() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                trap '' TERM
                echo ready
                sleep 1000
                """).budget(Duration.ofSeconds(1)).grace(Duration.ofSeconds(1));
		long started = System.nanoTime();

		ProcessResult result = supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(result.exitCode()).isEqualTo(128 + 9);
		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.TIMED_OUT);
		assertThat(result.oomDetected()).as("our own SIGKILL is no sign of the OOM killer").isFalse();
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
	}

	@Test
	void aGrandchildThatCalledSetsidIsStoppedToo() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                ( setsid sleep 1000 & )
                sleep 1000 &
                while [ ! -e "$GO" ]; do sleep 0.05; done
                sleep 1000
                """).withGoFile().budget(Duration.ofSeconds(3));
		SupervisedRun run = supervisor.start(training.spec(), listener);
		// The wrapper, the script, its loop's sleep at times, the plain child and the grandchild.
		await().atMost(PATIENCE).until(() -> LiveProcesses.sessionsOf(LiveProcesses.ofRun(training.runDir()))
			.stream()
			.anyMatch(session -> session != run.pid()));
		training.go();

		ProcessResult result = run.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.TIMED_OUT);
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
	}

	@Test
	void whatARunLeftRunningAfterItsExitIsStopped() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                ( setsid sleep 1000 & )
                sleep 1000 &
                echo "val_loss: 0.5"
                """);

		ProcessResult result = supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
	}

	@Test
	void aCancelledRunIsStoppedAndCancelled() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                echo "val_loss: 1.5"
                sleep 1000
                """);
		SupervisedRun run = supervisor.start(training.spec(), listener);
		await().atMost(PATIENCE).until(() -> listener.values("val_loss").equals(List.of(1.5)));

		run.cancel();
		ProcessResult result = run.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.CANCELLED);
		assertThat(result.objective()).isEqualTo(1.5);
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
	}
}
