package dev.nightshift.experiments.spec;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads the {@code parameters} section of a specification, recording every violation it finds. */
final class ParameterReader {

	/** A run gets one environment variable per parameter; more than this is a search space no loop can cover. */
	static final int MAX_PARAMETERS = 64;

	/** Most values of one choice parameter; a search space, not a list of everything. */
	static final int MAX_CHOICE_VALUES = 1_000;

	/** Lower-case identifiers, so that the upper-cased name is a valid environment variable. */
	static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

	/** Variables a run needs for itself (SPEC section 3); a parameter of the same name would overwrite them. */
	private static final Set<String> RESERVED_VARIABLES = Set.of(
			"PATH", "HOME", "PWD", "USER", "SHELL", "TMPDIR", "LD_LIBRARY_PATH", "LD_PRELOAD", "PYTHONPATH",
			"PYTHONHOME", "CUDA_VISIBLE_DEVICES");

	private static final List<String> RANGE_KEYS = List.of("type", "min", "max", "log", "default");
	private static final List<String> CHOICE_KEYS = List.of("type", "values", "default");

	private ParameterReader() {}

	/** The parameters in file order; entries with violations are left out (the spec is rejected anyway). */
	static Map<String, ParameterSpec> read(SpecNode spec) {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		JsonNode section = spec.value("parameters", false);
		if (section == null) {
			return parameters;
		}
		if (!section.isObject()) {
			spec.violation("parameters", "type",
					"must be an object mapping parameter names to {type, ...}, got " + SpecNode.describe(section));
			return parameters;
		}
		if (section.size() > MAX_PARAMETERS) {
			spec.violation("parameters", "out-of-range",
					"has " + section.size() + " parameters; at most " + MAX_PARAMETERS + " are allowed");
		}
		for (Map.Entry<String, JsonNode> entry : section.properties()) {
			String name = entry.getKey();
			String field = "parameters." + name;
			checkName(spec, name, field);
			if (!entry.getValue().isObject()) {
				spec.violation(field, "type", "must be an object such as {type: float, min: 0, max: 1}, got "
						+ SpecNode.describe(entry.getValue()));
				continue;
			}
			ParameterSpec parameter = readOne(new SpecNode(entry.getValue(), field, spec.violations()));
			if (parameter != null) {
				parameters.put(name, parameter);
			}
		}
		return parameters;
	}

	private static void checkName(SpecNode spec, String name, String field) {
		if (!NAME.matcher(name).matches()) {
			spec.violation(field, "pattern", "parameter name '" + name + "' must be lower-case letters, digits and"
					+ " underscores, starting with a letter, at most 64 characters ([a-z][a-z0-9_]*), since it"
					+ " becomes the environment variable " + name.toUpperCase(Locale.ROOT));
			return;
		}
		String variable = name.toUpperCase(Locale.ROOT);
		if (RESERVED_VARIABLES.contains(variable) || variable.startsWith("NIGHTSHIFT_")) {
			spec.violation(field, "reserved", "parameter name '" + name + "' would overwrite the environment"
					+ " variable " + variable + " that every run needs");
		}
	}

	private static ParameterSpec readOne(SpecNode node) {
		String type = node.text("type", true);
		if (type == null) {
			return null;
		}
		return switch (type.trim().toLowerCase(Locale.ROOT)) {
			case "float" -> readFloat(node);
			case "int" -> readInt(node);
			case "choice" -> readChoice(node);
			default -> {
				node.violation(node.pathOf("type"), "unknown-parameter-type",
						"unknown parameter type '" + type + "'; use float, int or choice");
				yield null;
			}
		};
	}

	private static FloatParameter readFloat(SpecNode node) {
		int before = node.violations().size();
		node.rejectUnknownKeys(RANGE_KEYS);
		Double min = withoutNegativeZero(node.number("min", true));
		Double max = withoutNegativeZero(node.number("max", true));
		boolean log = Boolean.TRUE.equals(node.flag("log"));
		Double defaultValue = withoutNegativeZero(node.number("default", false));
		if (min != null && max != null) {
			checkRange(node, min, max, log, defaultValue);
		}
		if (node.violations().size() > before) {
			return null;
		}
		return defaultValue == null
				? FloatParameter.withMidpointDefault(min, max, log)
				: new FloatParameter(min, max, log, defaultValue);
	}

	private static IntParameter readInt(SpecNode node) {
		int before = node.violations().size();
		node.rejectUnknownKeys(RANGE_KEYS);
		Long min = node.whole("min", true);
		Long max = node.whole("max", true);
		boolean log = Boolean.TRUE.equals(node.flag("log"));
		Long defaultValue = node.whole("default", false);
		if (min != null && max != null) {
			checkRange(node, min, max, log, defaultValue);
		}
		if (node.violations().size() > before) {
			return null;
		}
		return defaultValue == null
				? IntParameter.withMidpointDefault(min, max, log)
				: new IntParameter(min, max, log, defaultValue);
	}

	/** The rules float and int ranges share, compared in the parameter's own type so large longs stay exact. */
	private static <T extends Number & Comparable<T>> void checkRange(
			SpecNode node, T min, T max, boolean log, T defaultValue) {
		boolean ordered = min.compareTo(max) < 0;
		if (!ordered) {
			node.violation(node.pathOf("min"), "min-max", "min (" + min + ") must be less than max (" + max + ")");
		}
		if (log && min.doubleValue() <= 0) {
			node.violation(node.pathOf("log"), "log-scale", "a log scale needs min > 0, but min is " + min);
		}
		if (ordered && defaultValue != null && (defaultValue.compareTo(min) < 0 || defaultValue.compareTo(max) > 0)) {
			node.violation(node.pathOf("default"), "out-of-range",
					"default " + defaultValue + " is outside the range [" + min + ", " + max + "]");
		}
	}

	/** Double.compareTo puts -0.0 below 0.0 where {@code <} does not; adding 0.0 turns -0.0 into 0.0. */
	private static Double withoutNegativeZero(Double value) {
		return value == null ? null : value + 0.0;
	}

	private static ChoiceParameter readChoice(SpecNode node) {
		int before = node.violations().size();
		node.rejectUnknownKeys(CHOICE_KEYS);
		List<String> values = node.textList("values", true, (field, value) -> { });
		String defaultValue = node.text("default", false);
		if (values == null) {
			return null;
		}
		if (values.isEmpty()) {
			node.violation(node.pathOf("values"), "not-empty", "must list at least one value");
		}
		if (values.size() > MAX_CHOICE_VALUES) {
			node.violation(node.pathOf("values"), "out-of-range",
					"has " + values.size() + " values; at most " + MAX_CHOICE_VALUES + " are allowed");
			return null;
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < values.size(); i++) {
			if (values.get(i) != null && !seen.add(values.get(i))) {
				node.violation(node.pathOf("values") + "[" + i + "]", "unique",
						"value '" + values.get(i) + "' is listed more than once");
			}
		}
		if (defaultValue != null && !values.isEmpty() && !values.contains(defaultValue)) {
			node.violation(node.pathOf("default"), "out-of-range",
					"default '" + defaultValue + "' is not one of the values " + values);
		}
		if (node.violations().size() > before) {
			return null;
		}
		return defaultValue == null
				? ChoiceParameter.withFirstAsDefault(values)
				: new ChoiceParameter(values, defaultValue);
	}
}
