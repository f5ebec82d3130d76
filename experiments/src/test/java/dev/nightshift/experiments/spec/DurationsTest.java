package dev.nightshift.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({
		"90s,     PT1M30S",
		"2m,      PT2M",
		"1h,      PT1H",
		"1h30m,   PT1H30M",
		"1.5h,    PT1H30M",
		"500ms,   PT0.5S",
		"2d,      PT48H",
		"90,      PT1M30S",
		"2.5,     PT2.5S",
		"1h 30m,  PT1H30M",
		"1d2h3m4s5ms, PT26H3M4.005S",
		"250us,   PT0.00025S",
		"PT2M,    PT2M",
	})
	void readsTheShortFormsPeopleWrite(String text, String iso) {
		assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
	}

	@ParameterizedTest
	@ValueSource(strings = {"", "  ", "-5s", "0", "0s", "0h0m", "abc", "5 minutes", "1h30", "30m1h", "1m1m", "1e3s",
		"s", "1.5ns", "PT-1M", "P", "99999999999999999999d"})
	void rejectsEmptyZeroNegativeAndGarbage(String text) {
		assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void theErrorForGarbageSaysWhichFormsAreAccepted() {
		assertThatThrownBy(() -> Durations.parse("soon"))
				.hasMessageContainingAll("'soon'", "500ms", "90s", "2m", "1.5h", "2d", "1h30m", "bare number");
		assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("more than zero");
		assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
	}

	@ParameterizedTest(name = "{0} is written {1}")
	@CsvSource({
		"PT2M,        2m",
		"PT90S,       1m30s",
		"PT1H30M,     1h30m",
		"PT48H,       2d",
		"PT36H,       1d12h",
		"PT1.5S,      1s500ms",
		"PT0.000001S, 1us",
		"PT0.000000001S, 1ns",
		"PT0S,        0s",
	})
	void writesTheShortestExactFormLargestUnitsFirst(String iso, String text) {
		assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
	}

	@Test
	void refusesToWriteANegativeDuration() {
		assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void everyWrittenDurationReadsBackToTheSameDuration() {
		Random random = new Random(20240601);
		for (int i = 0; i < 2_000; i++) {
			Duration duration = switch (i % 4) {
				case 0 -> Duration.ofSeconds(1 + random.nextInt(7 * 86_400));
				case 1 -> Duration.ofMillis(1 + random.nextInt(Integer.MAX_VALUE));
				case 2 -> Duration.ofNanos(1 + (random.nextLong() & Long.MAX_VALUE));
				default -> Duration.ofDays(1 + random.nextInt(100_000)).plusNanos(random.nextInt(1_000_000_000));
			};
			String text = Durations.format(duration);

			assertThat(Durations.parse(text)).as("%s written as %s", duration, text).isEqualTo(duration);
		}
	}
}
