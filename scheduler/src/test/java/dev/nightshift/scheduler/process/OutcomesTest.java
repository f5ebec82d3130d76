package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.nightshift.experiments.run.RunStatus;

class OutcomesTest {

	private static ProcessResult exited(Integer exitCode, Double objective) {
		return new ProcessResult(exitCode, false, false, objective, objective != null,
				objective != null && !Double.isFinite(objective), false, "", 0);
	}

	private static ProcessResult stopped(boolean timedOut, boolean cancelled) {
		return new ProcessResult(143, timedOut, cancelled, 1.0, true, false, false, "", 0);
	}

	private static ProcessResult outOfMemory(int exitCode, Double objective) {
		return new ProcessResult(exitCode, false, false, objective, objective != null,
				objective != null && !Double.isFinite(objective), true, "", 0);
	}

	@Test
	void exitZeroWithAFiniteObjectiveSucceeded() {
		assertThat(Outcomes.classify(exited(0, 0.5))).isEqualTo(RunStatus.SUCCEEDED);
	}

	@Test
	void aNonZeroExitFailed() {
		assertThat(Outcomes.classify(exited(1, 0.5))).isEqualTo(RunStatus.FAILED);
		assertThat(Outcomes.classify(exited(1, null))).isEqualTo(RunStatus.FAILED);
	}

	@Test
	void anUnknownExitStatusIsLostNotBlamedAsFailed() {
		assertThat(Outcomes.classify(exited(null, 0.5))).isEqualTo(RunStatus.LOST);
		assertThat(Outcomes.classify(exited(null, null))).isEqualTo(RunStatus.LOST);
		assertThat(Outcomes.classify(exited(null, Double.NaN))).isEqualTo(RunStatus.DIVERGED);
	}

	@Test
	void exitZeroWithoutTheObjectiveIsNoMetric() {
		assertThat(Outcomes.classify(exited(0, null))).isEqualTo(RunStatus.NO_METRIC);
	}

	@Test
	void aNonFiniteLastObjectiveDivergedWhateverTheExit() {
		assertThat(Outcomes.classify(exited(0, Double.NaN))).isEqualTo(RunStatus.DIVERGED);
		assertThat(Outcomes.classify(exited(1, Double.POSITIVE_INFINITY))).isEqualTo(RunStatus.DIVERGED);
	}

	@Test
	void cancellationAndTimeOutWinOverEverythingElse() {
		assertThat(Outcomes.classify(stopped(false, true))).isEqualTo(RunStatus.CANCELLED);
		assertThat(Outcomes.classify(stopped(true, true))).isEqualTo(RunStatus.CANCELLED);
		assertThat(Outcomes.classify(stopped(true, false))).isEqualTo(RunStatus.TIMED_OUT);
	}

	@Test
	void anOutOfMemorySignIsOomUnlessTheRunStillSucceeded() {
		assertThat(Outcomes.classify(outOfMemory(1, null))).isEqualTo(RunStatus.OOM);
		assertThat(Outcomes.classify(outOfMemory(137, 0.5))).isEqualTo(RunStatus.OOM);
		assertThat(Outcomes.classify(outOfMemory(0, null))).isEqualTo(RunStatus.OOM);
		assertThat(Outcomes.classify(outOfMemory(0, Double.NaN))).isEqualTo(RunStatus.OOM);
		assertThat(Outcomes.classify(outOfMemory(0, 0.5))).isEqualTo(RunStatus.SUCCEEDED);
	}
}
