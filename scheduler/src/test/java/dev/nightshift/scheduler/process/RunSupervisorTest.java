package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.metrics.ParsedMetric;

/** Real training processes, from start to outcome. */
class RunSupervisorTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	private final RunSupervisor supervisor = new RunSupervisor();
	private final RecordingListener listener = new RecordingListener();

	private ProcessResult run(TrainingRun training) throws Exception {
		return supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();
	}

	@Test
	void exitZeroWithTheObjectiveSucceedsWithItsLastValue() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, """
                echo "step=1 val_loss=2.5"
                echo "---"
                echo "val_loss:          1.25"
                """));

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(result.exitCode()).isZero();
		assertThat(result.objective()).isEqualTo(1.25);
		assertThat(listener.points()).containsExactly(new ParsedMetric("val_loss", 1L, 2.5),
				new ParsedMetric("val_loss", null, 1.25));
		assertThat(result.logTail()).isEqualTo("step=1 val_loss=2.5\n---\nval_loss:          1.25\n");
		assertThat(result.logBytes()).isEqualTo(result.logTail().length());
	}

	@Test
	void aNonZeroExitFails() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, """
                echo "val_loss: 1.0"
                echo "something broke" >&2
                exit 3
                """));

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.FAILED);
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.logTail()).contains("something broke");
	}

	@Test
	void aCommandKilledBySignalReportsTheShellsStatus() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, "kill -TERM $$"));

		assertThat(result.exitCode()).isEqualTo(128 + 15);
		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.FAILED);
	}

	@Test
	void aNanObjectiveDiverged() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, """
                echo "val_loss: 3.0"
                echo "val_loss: nan"
                """));

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.DIVERGED);
		assertThat(result.objective()).isNaN();
		assertThat(result.objectiveNonFinite()).isTrue();
	}

	@Test
	void anObjectiveNeverPrintedIsNoMetric() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, """
                echo "Epoch 1: starting"
                echo "loss: 0.5"
                """));

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.NO_METRIC);
		assertThat(result.objectiveSeen()).isFalse();
		assertThat(listener.values("loss")).containsExactly(0.5);
	}

	@Test
	void pythonsMemoryErrorIsOom() throws Exception {
		ProcessResult result = run(TrainingRun.python(temp, """
                print("val_loss: 2.0", flush=True)
                bytearray(10 ** 15)
                """));

		assertThat(result.logTail()).contains("MemoryError");
		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.OOM);
	}

	@Test
	void aSigkillNobodyHereSentIsTakenForTheOomKiller() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, "kill -KILL $$"));

		assertThat(result.exitCode()).isEqualTo(128 + 9);
		assertThat(result.oomDetected()).isTrue();
		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.OOM);
	}

	@Test
	void metricsArriveWhileTheProcessStillRuns() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, """
                echo "step=1 val_loss=2.0"
                while [ ! -e "$GO" ]; do sleep 0.05; done
                echo "step=2 val_loss=1.0"
                """).withGoFile();
		SupervisedRun run = supervisor.start(training.spec(), listener);

		await().atMost(PATIENCE).until(() -> listener.values("val_loss").equals(List.of(2.0)));
		assertThat(run.completion()).isNotDone();
		training.go();

		ProcessResult result = run.await(PATIENCE).orElseThrow();
		assertThat(result.objective()).isEqualTo(1.0);
		assertThat(listener.values("val_loss")).containsExactly(2.0, 1.0);
	}

	@Test
	void manyPointsArriveInOrderInBatchesOfBoundedSize() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, """
                seq 1 20000 | sed 's/.*/step=& loss=&/'
                """));

		assertThat(result.exitCode()).isZero();
		assertThat(listener.points()).extracting(ParsedMetric::step)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 20000).boxed().toList());
		assertThat(listener.batches())
			.allSatisfy(batch -> assertThat(batch.points()).hasSizeLessThanOrEqualTo(RunListener.MAX_BATCH_POINTS));
		assertThat(listener.lastPosition().logOffset()).isEqualTo(result.logBytes());
	}

	@Test
	void theMetricsFileIsReadToo() throws Exception {
		TrainingRun training = TrainingRun.python(temp, """
                import json, os
                with open(os.environ["NIGHTSHIFT_METRICS"], "a") as out:
                    for step in range(3):
                        out.write(json.dumps({"step": step, "val_loss": 1.0 / (step + 1), "note": "x"}) + "\\n")
                """);
		training.env(LaunchSpec.METRICS_FILE_VARIABLE, training.runDir().resolve("metrics.jsonl").toString());

		ProcessResult result = run(training);

		assertThat(Outcomes.classify(result)).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(result.objective()).isEqualTo(1.0 / 3);
		assertThat(listener.points()).extracting(ParsedMetric::step).containsExactly(0L, 1L, 2L);
	}

	@Test
	void aNanInTheMetricsFileDiverged() throws Exception {
		TrainingRun training = TrainingRun.python(temp, """
                import json, os
                with open(os.environ["NIGHTSHIFT_METRICS"], "w") as out:
                    out.write(json.dumps({"step": 7, "val_loss": float("nan")}))
                """);
		training.env(LaunchSpec.METRICS_FILE_VARIABLE, training.runDir().resolve("metrics.jsonl").toString());

		assertThat(Outcomes.classify(run(training))).isEqualTo(RunStatus.DIVERGED);
	}

	@Test
	void theCommandGetsOnlyTheGivenEnvironmentAndTheCookie() throws Exception {
		ProcessResult result = run(TrainingRun.bash(temp, "env").env("LR", "0.003"));

		Set<String> names = Set.copyOf(Arrays.stream(result.logTail().split("\n"))
			.map(line -> line.substring(0, line.indexOf('=')))
			.toList());
		// bash adds PWD, SHLVL and _ of its own.
		assertThat(names).contains("PATH", "LR", ProcessTreeKiller.COOKIE_VARIABLE)
			.isSubsetOf("PATH", "LR", ProcessTreeKiller.COOKIE_VARIABLE, "PWD", "SHLVL", "_", "OLDPWD");
		assertThat(result.logTail()).contains("LR=0.003", "PWD=" + temp.toRealPath());
	}

	@Test
	void argumentsReachTheCommandExactlyAsGiven() throws Exception {
		Path work = Files.createDirectories(temp.resolve("work"));
		LaunchSpec spec = new LaunchSpec(List.of("bash", "-c", "printf '%s|' \"$@\"", "bash", "it's", "a  b", "$PATH",
				"`id`", "\\n"), work, temp.resolve("quoting"), Map.of(), Duration.ofMinutes(1),
				Duration.ofSeconds(1), "val_loss");

		ProcessResult result = supervisor.start(spec, listener).await(PATIENCE).orElseThrow();

		assertThat(result.logTail()).isEqualTo("it's|a  b|$PATH|`id`|\\n|");
	}

	@Test
	void theWrapperLeavesPidLogAndExitStatusInTheRunDirectory() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, "echo hello; exit 4");
		SupervisedRun run = supervisor.start(training.spec(), listener);
		run.await(PATIENCE).orElseThrow();

		Path dir = training.runDir();
		assertThat(dir.resolve("pid")).hasContent(Long.toString(run.pid()));
		assertThat(dir.resolve("exit")).hasContent("4");
		assertThat(dir.resolve("run.log")).hasContent("hello");
		assertThat(dir.resolve("launch.sh")).exists();
		assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
	}

	@Test
	void aRunDirectoryIsUsedOnce() throws Exception {
		TrainingRun training = TrainingRun.bash(temp, "true");
		supervisor.start(training.spec(), listener).await(PATIENCE).orElseThrow();

		assertThatIllegalStateException()
			.isThrownBy(() -> supervisor.start(training.spec(), listener))
			.withMessageContaining("used before");
	}
}
