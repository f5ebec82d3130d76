package dev.nightshift.web.ui;

import java.time.Duration;
import java.time.Instant;

/** Durations as a person reads them on a table: {@code 45s}, {@code 3m 05s}, {@code 2h 07m}, {@code 3d 04h}. */
final class Elapsed {

	private Elapsed() {
	}

	static String between(Instant from, Instant to) {
		return from == null || to == null ? null : of(Duration.between(from, to));
	}

	static String of(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return String.format("%dm %02ds", seconds / 60, seconds % 60);
		}
		if (seconds < 86_400) {
			return String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60);
		}
		return String.format("%dd %02dh", seconds / 86_400, seconds % 86_400 / 3600);
	}
}
