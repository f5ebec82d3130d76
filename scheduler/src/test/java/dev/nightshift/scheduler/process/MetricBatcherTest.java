package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.nightshift.scheduler.metrics.ObjectiveTracker;
import dev.nightshift.scheduler.metrics.ParsedMetric;
import org.junit.jupiter.api.Test;

/** A listener that fails for a while (the database away for a moment) loses no point and no position. */
class MetricBatcherTest {

	/** Fails its first {@code failures} calls, then records. */
	private static final class FlakyListener implements RunListener {

		private int failures;
		private int calls;
		private final List<MetricBatch> delivered = new ArrayList<>();

		FlakyListener(int failures) {
			this.failures = failures;
		}

		@Override
		public void onMetrics(MetricBatch batch) {
			calls++;
			if (failures-- > 0) {
				throw new IllegalStateException("database away");
			}
			delivered.add(batch);
		}

		List<Long> steps() {
			return delivered.stream().flatMap(batch -> batch.points().stream()).map(ParsedMetric::step).toList();
		}
	}

	private static List<ParsedMetric> line(long step) {
		return List.of(new ParsedMetric("loss", step, 1.0 / step));
	}

	@Test
	void pointsOfFailedBatchesGoWithTheNextOneInOrderAndThePositionNeverRunsAhead() throws Exception {
		FlakyListener listener = new FlakyListener(2);
		MetricBatcher batcher = new MetricBatcher(listener, new ObjectiveTracker("loss"), TailPosition.START, Duration.ZERO);

		for (long step = 1; step <= 30; step++) {
			batcher.fromLog(line(step), (step - 1) * 10, step * 10);
			if (step % 10 == 0) {
				batcher.flush();
			}
		}

		assertThat(listener.calls).isEqualTo(3);
		assertThat(listener.delivered).hasSize(1);
		assertThat(listener.steps()).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
		assertThat(listener.delivered.get(0).resumeFrom().logOffset()).isEqualTo(300);
	}

	@Test
	void theLastFlushOfARunTriesAgain() throws Exception {
		FlakyListener listener = new FlakyListener(3);
		MetricBatcher batcher = new MetricBatcher(listener, new ObjectiveTracker("loss"), TailPosition.START, Duration.ZERO);
		batcher.fromLog(line(1), 0, 10);

		batcher.flushAtEnd();

		assertThat(listener.steps()).containsExactly(1L);
	}

	@Test
	void aListenerThatNeverRecoversCannotExhaustTheMemory() throws Exception {
		FlakyListener listener = new FlakyListener(Integer.MAX_VALUE);
		MetricBatcher batcher = new MetricBatcher(listener, new ObjectiveTracker("loss"), TailPosition.START,
				Duration.ofHours(1));
		int lines = MetricBatcher.MAX_HELD_POINTS + 1000;
		for (long step = 1; step <= lines; step++) {
			batcher.fromLog(line(step), (step - 1) * 10, step * 10);
		}
		listener.failures = 0;

		batcher.flush();

		List<Long> kept = listener.steps();
		assertThat(kept.size()).isBetween(MetricBatcher.MAX_HELD_POINTS,
				MetricBatcher.MAX_HELD_POINTS + RunListener.MAX_BATCH_POINTS);
		// The newest points, all of them, in order.
		assertThat(kept).containsExactlyElementsOf(
				LongStream.rangeClosed(lines - kept.size() + 1, lines).boxed().toList());
	}
}
