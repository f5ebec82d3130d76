package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nightshift.experiments.run.RunStatus;

/** Whatever a process prints, reading its log takes bounded memory. */
class LogFloodTest {

	private static final Duration PATIENCE = Duration.ofMinutes(5);
	private static final String FLOOD = """
            yes | head -c 1000000000
            echo "val_loss: 1.5"
            """;
	private static final String ENDLESS_LINE = """
            head -c 100000000 /dev/zero | tr '\\0' x
            echo
            echo "val_loss: 1.5"
            """;

	@TempDir
	Path temp;

	@Test
	void aGigabyteOfOutputIsReadToItsLastLine() throws Exception {
		long started = System.nanoTime();
		ProcessResult result = new RunSupervisor().start(TrainingRun.bash(temp, FLOOD).spec(), RunListener.IGNORE)
			.await(PATIENCE)
			.orElseThrow();
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		System.out.printf("1 GB flood supervised in %d ms%n", millis);

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(result.objective()).isEqualTo(1.5);
		assertThat(result.logBytes()).isEqualTo(1_000_000_000L + "val_loss: 1.5\n".length());
		assertThat(result.logTail()).hasSize(LogScanner.TAIL_BYTES).endsWith("y\ny\nval_loss: 1.5\n");
	}

	@Test
	void aHundredMegabyteLineWithoutNewlineFitsIntoASmallHeap() throws Exception {
		// In a JVM of its own with a 32 MB heap, which a line read whole would not fit into.
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process probe = new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
				BoundedMemoryProbe.class.getName(), temp.toString(), ENDLESS_LINE)
			.redirectErrorStream(true)
			.redirectOutput(temp.resolve("probe.out").toFile())
			.start();

		assertThat(probe.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		List<String> output = Files.readAllLines(temp.resolve("probe.out"));
		assertThat(output).as(String.join("\n", output)).contains("SUCCEEDED 1.5");
		assertThat(probe.exitValue()).isZero();
	}

	/** Supervises one bash script given on the command line and prints its outcome and objective. */
	static final class BoundedMemoryProbe {

		public static void main(String[] args) throws IOException, InterruptedException {
			TrainingRun training = TrainingRun.bash(Path.of(args[0]), args[1]);
			ProcessResult result = new RunSupervisor().start(training.spec(), RunListener.IGNORE).await();
			System.out.println(Outcomes.classify(result) + " " + result.objective());
		}
	}
}
