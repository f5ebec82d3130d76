package dev.nightshift.agent.context;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;

/** Formatting shared by the digest's sections: numbers, parameters, failures, bounded texts. */
final class Texts {

	/** Marks text cut short. */
	static final String CUT = "…";

	private Texts() {
	}

	/** Four significant digits, plain unless very small or large: enough to tell runs apart, few tokens. */
	static String number(Double value) {
		if (value == null) {
			return "-";
		}
		if (!Double.isFinite(value)) {
			return value.toString();
		}
		if (value == 0) {
			return "0";
		}
		double magnitude = Math.abs(value);
		if (magnitude >= 1e-4 && magnitude < 1e7) {
			return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
		}
		return String.format(Locale.ROOT, "%.3e", value);
	}

	/** A signed difference, "+0.012" or "-1.5". */
	static String delta(Double value) {
		if (value == null) {
			return "-";
		}
		// Subtracting equal objectives can leave a rounding error such as 4e-16; it means no change.
		return Math.abs(value) < 1e-12 ? "±0" : (value > 0 ? "+" : "") + number(value);
	}

	static String value(Object value) {
		return value instanceof Double d ? number(d) : value instanceof Float f ? number(f.doubleValue()) : String.valueOf(value);
	}

	/** {@code a=1, b=relu}, in the map's order. */
	static String params(Map<String, Object> params) {
		if (params == null || params.isEmpty()) {
			return "(no parameters)";
		}
		StringJoiner joined = new StringJoiner(", ");
		params.forEach((name, value) -> joined.add(name + "=" + value(value)));
		return joined.toString();
	}

	/** The text on one line, at most {@code max} characters, ending in {@link #CUT} when it was cut. */
	static String line(String text, int max) {
		if (text == null) {
			return "";
		}
		return cut(text.strip().replaceAll("\\s+", " "), max);
	}

	/** The text with its lines kept, at most {@code max} characters. */
	static String cut(String text, int max) {
		if (text == null) {
			return "";
		}
		return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + CUT;
	}

	/** A parameter's type, range and default, as the search space section lists it. */
	static String describe(ParameterSpec parameter) {
		if (parameter instanceof FloatParameter p) {
			return "float in [" + number(p.min()) + ", " + number(p.max()) + "]" + (p.log() ? ", log scale" : "")
					+ ", default " + number(p.defaultValue());
		}
		if (parameter instanceof IntParameter p) {
			return "int in [" + p.min() + ", " + p.max() + "]" + (p.log() ? ", log scale" : "") + ", default "
					+ p.defaultValue();
		}
		ChoiceParameter p = (ChoiceParameter) parameter;
		return "one of " + String.join(", ", p.values()) + "; default " + p.defaultValue();
	}

	/** Whether two parameter values are equal, numbers by value (16 equals 16.0). */
	static boolean sameValue(Object a, Object b) {
		if (a instanceof Number x && b instanceof Number y) {
			return x.doubleValue() == y.doubleValue();
		}
		return Objects.equals(String.valueOf(a), String.valueOf(b));
	}

	/**
	 * A failure on one line: the log's last line, which usually names the error, then what the scheduler saw
	 * ("RuntimeError: CUDA out of memory (exited with code 1)").
	 */
	static String failure(String excerpt) {
		List<String> lines = excerpt == null ? List.of() : excerpt.strip().lines().filter(l -> !l.isBlank()).toList();
		if (lines.isEmpty()) {
			return "(no log)";
		}
		String what = lines.get(0).replaceFirst(";? ?log ends with:\\s*$", "").strip();
		return lines.size() == 1 ? what : lines.get(lines.size() - 1).strip() + " (" + what + ")";
	}
}
