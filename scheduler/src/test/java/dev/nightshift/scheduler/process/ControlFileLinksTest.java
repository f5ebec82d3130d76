package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links planted in a run directory under the names the wrapper and the server write or read lead neither of
 * them elsewhere. A sandboxed run cannot write its run directory at all (see SandboxTest); these runs can, as a
 * run with the server's rights could, and still get nothing through the control files.
 */
class ControlFileLinksTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	private final RunSupervisor supervisor = new RunSupervisor();
	private final RecordingListener listener = new RecordingListener();

	@Test
	void aLinkAtTheExitFilesTemporaryNameIsNotWrittenThrough() throws Exception {
		Path victim = Files.writeString(temp.resolve("victim"), "precious\n");
		TrainingRun training = TrainingRun.bash(temp, """
				ln -s "$VICTIM" "$RUN_DIR/exit.tmp"
				echo "val_loss: 1.0"
				exit 3
				""").env("VICTIM", victim.toString());
		training.env("RUN_DIR", training.runDir().toString());

		ProcessResult result = supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		assertThat(victim).hasContent("precious");
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(Files.isRegularFile(training.runDir().resolve("exit"), LinkOption.NOFOLLOW_LINKS)).isTrue();
	}

	@Test
	void aLinkAtTheStopFilesTemporaryNameIsNotWrittenThroughOnCancel() throws Exception {
		Path victim = Files.writeString(temp.resolve("victim"), "precious\n");
		TrainingRun training = TrainingRun.bash(temp, """
				ln -s "$VICTIM" "$RUN_DIR/stop.tmp"
				echo ready
				sleep 1000
				""").env("VICTIM", victim.toString());
		training.env("RUN_DIR", training.runDir().toString());
		SupervisedRun run = supervisor.start(training.spec(), listener);
		await().atMost(PATIENCE).until(() -> Files.readString(RunLog.of(training.runDir())).contains("ready"));

		run.cancel();
		ProcessResult result = run.await(PATIENCE).orElseThrow();

		assertThat(result.cancelled()).isTrue();
		assertThat(victim).hasContent("precious");
		assertThat(training.runDir().resolve("stop")).hasContent("CANCEL");
	}

	@Test
	void aLogReplacedByALinkIsNeitherReadNorServed() throws Exception {
		Path secret = Files.writeString(temp.resolve("secret"), "root-only\n");
		TrainingRun training = TrainingRun.bash(temp, """
				echo "val_loss: 1.0"
				ln -sf "$SECRET" "$RUN_DIR/run.log"
				""").env("SECRET", secret.toString());
		training.env("RUN_DIR", training.runDir().toString());

		supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		Path log = RunLog.of(training.runDir());
		assertThat(Files.isSymbolicLink(log)).as("the attack took place").isTrue();
		assertThat(RunLog.open(log)).isEmpty();
		assertThat(RunLog.size(log)).isZero();
	}

	@Test
	void aMetricsFileThatIsALinkIsNotRead() throws Exception {
		Path secret = Files.writeString(temp.resolve("secret.jsonl"), "{\"val_loss\": 0.123}\n");
		TrainingRun training = TrainingRun.bash(temp, """
				ln -s "$SECRET" "$NIGHTSHIFT_METRICS"
				echo "val_loss: 1.0"
				""").env("SECRET", secret.toString());
		training.env(LaunchSpec.METRICS_FILE_VARIABLE, training.runDir().resolve("metrics.jsonl").toString());

		ProcessResult result = supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		assertThat(result.objective()).isEqualTo(1.0);
	}
}
