package dev.nightshift.experiments.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the short durations people put in specs: {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 1.5h},
 * {@code 500ms}, {@code 2d}, or a bare number of seconds. ISO-8601 ({@code PT2M}) is read too, since that is what
 * Spring and {@link Duration#toString()} produce.
 */
public final class Durations {

	private static final String ACCEPTED = "use a number with a unit (500ms, 90s, 2m, 1.5h, 2d), units combined from"
			+ " largest to smallest (1h30m), a bare number of seconds (90) or ISO-8601 (PT2M)";

	private static final long SECOND = 1_000_000_000L;

	/** Units from largest to smallest; each appears at most once in a duration, in this order. */
	private record Unit(String suffix, long nanos) {}

	private static final List<Unit> UNITS = List.of(
			new Unit("d", 86_400_000_000_000L),
			new Unit("h", 3_600_000_000_000L),
			new Unit("m", 60_000_000_000L),
			new Unit("s", SECOND),
			new Unit("ms", 1_000_000L),
			new Unit("us", 1_000L),
			new Unit("ns", 1L));

	private static final Pattern BARE_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
	// "ms" before "m" so that 500ms is not read as 500 minutes followed by garbage.
	private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|us|ns|d|h|m|s)");

	private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(SECOND);

	private Durations() {}

	/**
	 * Parses a positive duration.
	 *
	 * @throws IllegalArgumentException for empty, zero, negative or unreadable text, saying which forms are accepted
	 */
	public static Duration parse(String text) {
		String trimmed = text == null ? "" : text.trim();
		if (trimmed.isEmpty()) {
			throw new IllegalArgumentException("a duration is required: " + ACCEPTED);
		}
		Duration duration = readPositiveOrZero(trimmed);
		if (duration.isZero()) {
			throw new IllegalArgumentException("duration '" + trimmed + "' must be more than zero");
		}
		return duration;
	}

	private static Duration readPositiveOrZero(String text) {
		if (text.startsWith("-")) {
			throw new IllegalArgumentException("duration '" + text + "' must be more than zero");
		}
		if (text.startsWith("P") || text.startsWith("p")) {
			return readIso(text);
		}
		if (BARE_SECONDS.matcher(text).matches()) {
			return toDuration(new BigDecimal(text).multiply(BigDecimal.valueOf(SECOND)), text);
		}
		BigDecimal nanos = BigDecimal.ZERO;
		int nextUnit = 0;
		Matcher part = PART.matcher(text);
		int position = 0;
		while (position < text.length()) {
			if (!part.find(position) || part.start() != position) {
				throw unreadable(text);
			}
			int unit = unitIndex(part.group(2));
			if (unit < nextUnit) {
				throw new IllegalArgumentException("duration '" + text + "' repeats a unit or puts a smaller unit"
						+ " before a larger one: " + ACCEPTED);
			}
			nextUnit = unit + 1;
			nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(UNITS.get(unit).nanos())));
			position = part.end();
		}
		return toDuration(nanos, text);
	}

	private static Duration readIso(String text) {
		try {
			Duration duration = Duration.parse(text);
			if (duration.isNegative()) {
				throw new IllegalArgumentException("duration '" + text + "' must be more than zero");
			}
			return duration;
		} catch (DateTimeParseException e) {
			throw unreadable(text);
		}
	}

	private static int unitIndex(String suffix) {
		for (int i = 0; i < UNITS.size(); i++) {
			if (UNITS.get(i).suffix().equals(suffix)) {
				return i;
			}
		}
		throw new IllegalStateException("the pattern admits a unit the table lacks: " + suffix);
	}

	private static Duration toDuration(BigDecimal nanos, String text) {
		BigInteger whole;
		try {
			whole = nanos.toBigIntegerExact();
		} catch (ArithmeticException e) {
			throw new IllegalArgumentException("duration '" + text + "' is finer than a nanosecond");
		}
		BigInteger[] secondsAndNanos = whole.divideAndRemainder(NANOS_PER_SECOND);
		if (secondsAndNanos[0].bitLength() >= Long.SIZE) {
			throw new IllegalArgumentException("duration '" + text + "' is too long");
		}
		return Duration.ofSeconds(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
	}

	private static IllegalArgumentException unreadable(String text) {
		return new IllegalArgumentException("cannot read duration '" + text + "': " + ACCEPTED);
	}

	/**
	 * Writes a duration in the form {@link #parse} reads, largest units first and none repeated: {@code 2m},
	 * {@code 1m30s}, {@code 1h30m}, {@code 1d12h}, {@code 1s500ms}; zero is {@code 0s}.
	 *
	 * @throws IllegalArgumentException for a negative duration
	 */
	public static String format(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("cannot write a negative duration: " + duration);
		}
		if (duration.isZero()) {
			return "0s";
		}
		StringBuilder text = new StringBuilder();
		// Seconds and nanos are split first because a Duration of many days overflows a long of nanoseconds.
		long seconds = duration.getSeconds();
		long nanos = duration.getNano();
		for (Unit unit : UNITS) {
			long count;
			if (unit.nanos() >= SECOND) {
				long unitSeconds = unit.nanos() / SECOND;
				count = seconds / unitSeconds;
				seconds %= unitSeconds;
			} else {
				count = nanos / unit.nanos();
				nanos %= unit.nanos();
			}
			if (count > 0) {
				text.append(count).append(unit.suffix());
			}
		}
		return text.toString();
	}
}
