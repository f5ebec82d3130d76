package dev.nightshift.web.ui;

import java.math.BigDecimal;
import java.math.MathContext;

import org.springframework.stereotype.Component;

/**
 * Number formats for the templates, as {@code ${@formats.number(x)}}: objectives and metrics read the same on
 * every page whatever the server's locale. Public because the templates' expression language calls it.
 */
@Component("formats")
public class Formats {

	/** Six significant digits, scientific notation for very large or small values, a dash for none. */
	public String number(Double value) {
		if (value == null) {
			return "—";
		}
		if (!Double.isFinite(value)) {
			return value.isNaN() ? "NaN" : (value > 0 ? "∞" : "−∞");
		}
		double magnitude = Math.abs(value);
		if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4)) {
			return String.format(java.util.Locale.ROOT, "%.4e", value);
		}
		return BigDecimal.valueOf(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
	}

	/** A signed difference: {@code +0.0123}. */
	public String signed(Double value) {
		return value == null ? "—" : (value >= 0 ? "+" : "") + number(value);
	}

	/** Megabytes as GiB or MiB. */
	public String memory(Double megabytes) {
		if (megabytes == null) {
			return "—";
		}
		return megabytes >= 1024 ? String.format(java.util.Locale.ROOT, "%.2f GiB", megabytes / 1024)
				: String.format(java.util.Locale.ROOT, "%.0f MiB", megabytes);
	}

	/** A parameter value: numbers through {@link #number(Double)}, anything else as it is. */
	public String value(Object value) {
		if (value instanceof Double || value instanceof Float) {
			return number(((Number) value).doubleValue());
		}
		return String.valueOf(value);
	}
}
