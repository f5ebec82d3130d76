package dev.nightshift.experiments.spec;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads experiment specifications from YAML or JSON and writes them as canonical JSON. Every problem, from a syntax
 * error to a default outside its range, comes out as a {@link SpecValidationException}; nothing else is thrown for
 * bad input. Instances are immutable and safe to share between threads.
 */
public final class ExperimentSpecParser {

	/** Longest specification, in characters; the API caps the request body in bytes likewise. */
	public static final int MAX_DOCUMENT_CHARS = 1_000_000;

	private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
		.maxDocumentLength(MAX_DOCUMENT_CHARS)
		.maxStringLength(MAX_DOCUMENT_CHARS)
		.maxNestingDepth(64)
		.build();

	/** SnakeYAML's "in reader, line 2, column 1:" marks; the last one is where the problem is. */
	private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+):");
	/** How Jackson's YAML parser reports .nan and .inf, naming a Java exception a person has no use for. */
	private static final Pattern MALFORMED_NUMBER = Pattern.compile("Malformed numeric value '([^:']*)");

	// A repeated key would otherwise silently win over the first one, and a second document would be ignored.
	// The parsers stop at the document limit themselves too, so no caller can make them chew on a huge scalar.
	private final ObjectMapper yaml = YAMLMapper.builder(YAMLFactory.builder()
				.loadSettings(LoadSettings.builder().setCodePointLimit(MAX_DOCUMENT_CHARS).build())
				.streamReadConstraints(LIMITS)
				.build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();
	private final ObjectMapper json = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();

	/** Reads a {@code nightshift.yaml}. */
	public ExperimentSpec parseYaml(String text) {
		return parse(text, SpecFormat.YAML);
	}

	/** Reads a JSON specification, as sent to the API or written by {@link #toJson}. */
	public ExperimentSpec parseJson(String text) {
		return parse(text, SpecFormat.JSON);
	}

	/**
	 * Reads a specification in the given format.
	 *
	 * @throws SpecValidationException listing every violation found
	 */
	public ExperimentSpec parse(String text, SpecFormat format) {
		if (text != null && text.length() > MAX_DOCUMENT_CHARS) {
			throw documentError("the document has " + text.length() + " characters; a specification may have at most "
					+ MAX_DOCUMENT_CHARS);
		}
		return SpecTreeReader.read(readTree(text == null ? "" : text, format));
	}

	/**
	 * Writes a specification as compact JSON with the YAML keys, defaults spelled out and durations as text
	 * ({@code "2m"}); {@link #parseJson} reads it back to an equal spec.
	 */
	public String toJson(ExperimentSpec spec) {
		return json.writeValueAsString(SpecJsonWriter.write(spec));
	}

	private JsonNode readTree(String text, SpecFormat format) {
		JsonNode root;
		try {
			root = (format == SpecFormat.YAML ? yaml : json).readTree(text);
		} catch (JacksonException e) {
			throw documentError(format + " syntax error" + at(e) + ": " + explain(e));
		}
		if (root == null || root.isMissingNode() || root.isNull()) {
			throw documentError("the document is empty; a spec needs at least name, command, objective and budget");
		}
		if (!root.isObject()) {
			throw documentError("the document must be an object with keys such as name, command, objective and"
					+ " budget, but is " + SpecNode.describe(root));
		}
		return root;
	}

	private static SpecValidationException documentError(String message) {
		return new SpecValidationException(List.of(new SpecViolation("", "syntax", message)));
	}

	/**
	 * Where the error is. SnakeYAML's message names the problem's own mark, which can be a line after the
	 * position Jackson reports (a tab at the start of a line), so that mark wins when there is one.
	 */
	private static String at(JacksonException e) {
		int line = 0;
		int column = 0;
		Matcher mark = YAML_MARK.matcher(e.getOriginalMessage() == null ? "" : e.getOriginalMessage());
		while (mark.find()) {
			line = Integer.parseInt(mark.group(1));
			column = Integer.parseInt(mark.group(2));
		}
		TokenStreamLocation location = e.getLocation();
		if (line == 0 && location != null) {
			line = location.getLineNr();
			column = location.getColumnNr();
		}
		if (line < 1) {
			return "";
		}
		return " at line " + line + (column < 1 ? "" : ", column " + column);
	}

	/**
	 * The parser's own words without its internals: SnakeYAML adds "in reader, line ..." lines and a source excerpt
	 * (the location is given separately), and Jackson names its token types.
	 */
	private static String explain(JacksonException e) {
		String message = e.getOriginalMessage() == null ? "unreadable input" : e.getOriginalMessage();
		if (message.startsWith("Trailing token")) {
			return "unexpected content after the end of the document; a spec is one document";
		}
		Matcher number = MALFORMED_NUMBER.matcher(message);
		if (number.lookingAt()) {
			return "'" + number.group(1) + "' is not a number that can be read; NaN and infinity are not allowed";
		}
		if (message.startsWith("Duplicate Object property")) {
			return message.replace("Duplicate Object property", "duplicate key");
		}
		return Arrays.stream(message.split("\\R"))
				.filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
				.collect(Collectors.joining("; "));
	}
}
