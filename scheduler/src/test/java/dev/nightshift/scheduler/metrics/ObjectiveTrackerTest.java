package dev.nightshift.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ObjectiveTrackerTest {

	private final ObjectiveTracker tracker = new ObjectiveTracker("val_loss");

	@Test
	void theLastReportedValueIsTheObjective() {
		tracker.accept(List.of(new ParsedMetric("val_loss", 1L, 2.0), new ParsedMetric("loss", 1L, 9.0)));
		tracker.accept(List.of(new ParsedMetric("val_loss", 2L, 1.5)));

		assertThat(tracker.seen()).isTrue();
		assertThat(tracker.last()).isEqualTo(1.5);
		assertThat(tracker.lastNonFinite()).isFalse();
	}

	@Test
	void anObjectiveNeverReportedHasNoValue() {
		tracker.accept(List.of(new ParsedMetric("loss", null, 1.0)));

		assertThat(tracker.seen()).isFalse();
		assertThat(tracker.last()).isNull();
		assertThat(tracker.lastNonFinite()).isFalse();
	}

	@Test
	void aNonFiniteLastValueMeansDivergence() {
		tracker.accept(List.of(new ParsedMetric("val_loss", null, 1.0),
				new ParsedMetric("val_loss", null, Double.NaN)));

		assertThat(tracker.last()).isNaN();
		assertThat(tracker.lastNonFinite()).isTrue();
	}

	@Test
	void aFiniteValueAfterANonFiniteOneIsNotDivergence() {
		tracker.accept(List.of(new ParsedMetric("val_loss", null, Double.POSITIVE_INFINITY)));
		tracker.accept(List.of(new ParsedMetric("val_loss", null, 3.0)));

		assertThat(tracker.lastNonFinite()).isFalse();
	}
}
