package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nightshift.experiments.run.RunStatus;

/** After the server lost a run, a new supervisor finds out from the run directory what became of it. */
class RunRecoveryTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	private final RecordingListener before = new RecordingListener();
	private final RecordingListener after = new RecordingListener();

	private static TrainingRun waitingRun(Path temp) {
		return TrainingRun.bash(temp, """
                echo "step=1 val_loss=2.0"
                echo "step=2 val_loss=1.5"
                while [ ! -e "$GO" ]; do sleep 0.05; done
                echo "step=3 val_loss=1.0"
                """).withGoFile();
	}

	/** Starts {@code training} and lets the supervisor lose it once the first metrics arrived, as a crash would. */
	private static SupervisedRun startAndLose(TrainingRun training, RecordingListener listener) throws Exception {
		SupervisedRun lost = new RunSupervisor().start(training.spec(), listener);
		await().atMost(PATIENCE).until(() -> listener.points().size() == 2);
		lost.detach();
		await().atMost(PATIENCE).until(() -> lost.completion().isDone());
		assertThat(lost.completion()).isCompletedExceptionally();
		assertThat(LiveProcesses.isLive(lost.pid())).as("the process outlives its supervisor").isTrue();
		return lost;
	}

	@Test
	void aRunLostByItsSupervisorIsFollowedToItsOutcomeByANewOne() throws Exception {
		TrainingRun training = waitingRun(temp);
		startAndLose(training, before);

		SupervisedRun attached = new RunSupervisor().attach(training.runDir(), after).orElseThrow();
		training.go();
		ProcessResult result = attached.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(result.objective()).isEqualTo(1.0);
		assertThat(after.values("val_loss")).containsExactly(2.0, 1.5, 1.0);
	}

	@Test
	void attachDeliversOnlyThePointsAfterTheGivenPosition() throws Exception {
		TrainingRun training = waitingRun(temp);
		startAndLose(training, before);

		SupervisedRun attached = new RunSupervisor().attach(training.runDir(), after, before.lastPosition())
			.orElseThrow();
		training.go();
		ProcessResult result = attached.await(PATIENCE).orElseThrow();

		assertThat(after.values("val_loss")).containsExactly(1.0);
		assertThat(result.objective()).isEqualTo(1.0);
	}

	@Test
	void aFinishedRunIsReadFromItsFilesWithoutItsProcess() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                echo "val_loss: 0.75"
                exit 2
                """);
		SupervisedRun original = new RunSupervisor().start(training.spec(), before);
		ProcessResult live = original.await(PATIENCE).orElseThrow();
		assertThat(LiveProcesses.isLive(original.pid())).isFalse();

		ProcessResult recovered = new RunSupervisor().attach(training.runDir(), after).orElseThrow()
			.await(PATIENCE).orElseThrow();

		assertThat(recovered).isEqualTo(live);
		assertThat(Outcomes.classify(recovered)).isEqualTo(RunStatus.FAILED);
		assertThat(after.values("val_loss")).containsExactly(0.75);
	}

	@Test
	void theBudgetStillCountsFromTheOriginalStart() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                echo "step=1 val_loss=2.0"
                echo "step=2 val_loss=1.5"
                sleep 1000
                """).budget(Duration.ofSeconds(3));
		startAndLose(training, before);

		ProcessResult result = new RunSupervisor().attach(training.runDir(), after).orElseThrow()
			.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.TIMED_OUT);
		assertThat(LiveProcesses.ofRun(training.runDir())).isEmpty();
	}

	@Test
	void aRunStoppedBeforeTheCrashKeepsTheReasonItWasStopped() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, "sleep 1000");
		SupervisedRun run = new RunSupervisor().start(training.spec(), before);
		// Cancelled once the wrapper runs (it writes its pid first): a wrapper killed before that leaves no trace.
		await().atMost(PATIENCE).until(() -> Files.exists(training.runDir().resolve("pid")));
		run.cancel();
		ProcessResult cancelled = run.await(PATIENCE).orElseThrow();

		ProcessResult recovered = new RunSupervisor().attach(training.runDir(), after).orElseThrow()
			.await(PATIENCE).orElseThrow();

		assertThat(Outcomes.classify(cancelled)).isEqualTo(RunStatus.CANCELLED);
		assertThat(Outcomes.classify(recovered)).isEqualTo(RunStatus.CANCELLED);
	}

	@Test
	void aRunThatVanishedWithoutAnExitStatusIsLost() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, "sleep 1000");
		SupervisedRun run = new RunSupervisor().start(training.spec(), before);
		await().atMost(PATIENCE).until(() -> Files.exists(training.runDir().resolve("pid")));
		run.detach();
		// As after a reboot: the wrapper and the command are gone and no exit status was written.
		ProcessHandle.of(run.pid()).ifPresent(ProcessHandle::destroyForcibly);
		LiveProcesses.ofRun(training.runDir())
			.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		await().atMost(PATIENCE).until(() -> !LiveProcesses.isLive(run.pid())
				&& LiveProcesses.ofRun(training.runDir()).isEmpty());

		assertThat(new RunSupervisor().attach(training.runDir(), after)).isEmpty();
		assertThat(training.runDir().resolve("exit")).doesNotExist();
	}

	@Test
	void aDirectoryWhereNothingWasLaunchedIsLost() throws Exception {
		assertThat(new RunSupervisor().attach(Files.createDirectories(temp.resolve("empty")), after)).isEmpty();
	}

	@Test
	void detachingLeavesTheResultUnknownToThatSupervisor() throws Exception {
		TrainingRun training = waitingRun(temp);
		SupervisedRun lost = startAndLose(training, before);

		assertThatThrownBy(() -> lost.completion().join())
			.isInstanceOf(CancellationException.class);
		assertThat(before.values("val_loss")).isEqualTo(List.of(2.0, 1.5));
		training.go();
		new RunSupervisor().attach(training.runDir(), after).orElseThrow().await(PATIENCE).orElseThrow();
	}
}
