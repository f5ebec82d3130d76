package dev.nightshift.scheduler.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads metrics from one line of training output, in the forms SPEC section 3 lists: {@code name: value} lines
 * (autoresearch's summary, {@code val_bpb:          0.997900}), {@code name=value} pairs, several on a line (Katib,
 * {@code step=10 loss=3.0e-02 acc=.98}), and one JSON object per line ({@code {"step": 10, "val_loss": 1.23}}). A
 * {@code step} field gives the step of the other values on its line and is not a metric itself. {@code nan} and
 * {@code inf} are kept as non-finite values. Thread-safe.
 */
public final class MetricLineParser {

	/** The field that carries the step of the other values on a line. */
	public static final String STEP = "step";

	private static final String NAME = "[A-Za-z_][A-Za-z0-9_./-]*";

	// Digits with an optional fraction or a bare fraction (.98), an optional exponent; or the non-finite words
	// Python, NumPy and C print. Double.parseDouble alone would also take "1d", "0x1p3" and "Infinity" spellings
	// nobody prints, so a number must match this first.
	private static final Pattern NUMBER = Pattern.compile(
			"[+-]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:nan|inf|infinity))");

	// The whole line is one name, a colon and a number: so "Epoch 1: starting", "http://x" and "12:30:01" are not
	// metrics, and neither is the colon inside a longer sentence.
	private static final Pattern COLON_LINE = Pattern.compile("\\s*(" + NAME + ")\\s*:\\s*(\\S+)\\s*");

	// A name starts the line or follows a separator, so the query of a URL (http://x?a=1) is not read as pairs. The
	// value runs to the next blank or closing punctuation, which lets tqdm's "[..., loss=0.5]" postfix through.
	private static final Pattern PAIR = Pattern.compile("(?:^|(?<=[\\s,;(\\[{|]))(" + NAME + ")=([^\\s,;)\\]}|]+)");

	// Colours from rich or tqdm would otherwise glue escape codes to names and values.
	private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

	// Python's json.dumps writes NaN and Infinity bare; Hugging Face's Trainer prints its logs as Python dicts
	// ({'loss': 2.3, 'epoch': 0.1}), which single quotes make readable too.
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_SINGLE_QUOTES)
		.build();

	private MetricLineParser() {}

	/**
	 * Splits a chunk of output into lines at {@code \n}, {@code \r\n} and lone {@code \r}, as progress bars
	 * overwrite their line with {@code \r}. Empty lines are dropped.
	 */
	public static List<String> splitLines(String chunk) {
		List<String> lines = new ArrayList<>();
		for (String line : chunk.split("[\r\n]+")) {
			if (!line.isEmpty()) {
				lines.add(line);
			}
		}
		return lines;
	}

	/** The metrics on one line in any recognised form, in the order printed; empty when there are none. */
	public static List<ParsedMetric> parse(String line) {
		String text = line.indexOf('\u001B') >= 0 ? ANSI_ESCAPE.matcher(line).replaceAll("") : line;
		String trimmed = text.strip();
		if (trimmed.startsWith("{")) {
			return parseJson(trimmed);
		}
		if (trimmed.indexOf('=') >= 0) {
			List<ParsedMetric> pairs = parsePairs(trimmed);
			if (!pairs.isEmpty()) {
				return pairs;
			}
		}
		return trimmed.indexOf(':') >= 0 ? parseColonLine(trimmed) : List.of();
	}

	/**
	 * The numeric fields of a line holding one JSON object (single quotes, {@code NaN} and {@code Infinity} allowed);
	 * nested objects, arrays, strings and booleans are skipped, and a line that is not such an object yields nothing.
	 */
	public static List<ParsedMetric> parseJson(String line) {
		JsonNode object;
		try {
			object = JSON.readTree(line);
		} catch (JacksonException notJson) {
			return List.of();
		}
		if (object == null || !object.isObject()) {
			return List.of();
		}
		Long step = null;
		List<Map.Entry<String, Double>> values = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : object.properties()) {
			JsonNode value = field.getValue();
			if (!value.isNumber()) {
				continue;
			}
			if (field.getKey().equals(STEP)) {
				step = asStep(value.doubleValue());
			} else {
				values.add(Map.entry(field.getKey(), value.doubleValue()));
			}
		}
		return withStep(values, step);
	}

	private static List<ParsedMetric> parsePairs(String line) {
		Long step = null;
		List<Map.Entry<String, Double>> values = new ArrayList<>();
		Matcher pair = PAIR.matcher(line);
		while (pair.find()) {
			Double value = number(pair.group(2));
			if (value == null) {
				continue;
			}
			if (pair.group(1).equals(STEP)) {
				step = asStep(value);
			} else {
				values.add(Map.entry(pair.group(1), value));
			}
		}
		return withStep(values, step);
	}

	private static List<ParsedMetric> parseColonLine(String line) {
		Matcher colon = COLON_LINE.matcher(line);
		if (!colon.matches() || colon.group(1).equals(STEP)) {
			return List.of();
		}
		Double value = number(colon.group(2));
		return value == null ? List.of() : List.of(new ParsedMetric(colon.group(1), null, value));
	}

	private static List<ParsedMetric> withStep(List<Map.Entry<String, Double>> values, Long step) {
		List<ParsedMetric> metrics = new ArrayList<>(values.size());
		for (Map.Entry<String, Double> value : values) {
			metrics.add(new ParsedMetric(value.getKey(), step, value.getValue()));
		}
		return metrics;
	}

	/** A step is a whole number; anything else printed as a step is dropped rather than guessed at. */
	private static Long asStep(double value) {
		return Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 0x1p53 ? (long) value : null;
	}

	private static Double number(String text) {
		if (!NUMBER.matcher(text).matches()) {
			return null;
		}
		String lower = text.toLowerCase();
		if (lower.endsWith("nan")) {
			return Double.NaN;
		}
		if (lower.endsWith("inf") || lower.endsWith("infinity")) {
			return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		return Double.parseDouble(text);
	}
}
