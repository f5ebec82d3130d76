package dev.nightshift.agent.strategy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;

/**
 * One parameter of the search space in the coordinates the strategies work in: numbers on a line (the log
 * line for {@code log: true}), integers widened by half a step on each side so that rounding gives every
 * integer the same share, choices as their index.
 */
final class Dimension {

	/** Proposed floats keep six significant digits: readable in a proposal, far finer than any noise. */
	private static final MathContext PROPOSED_DIGITS = new MathContext(6);

	private final String name;
	private final ParameterSpec parameter;
	private final double low;
	private final double high;

	Dimension(String name, ParameterSpec parameter) {
		this.name = name;
		this.parameter = parameter;
		if (parameter instanceof FloatParameter p) {
			this.low = p.log() ? Math.log(p.min()) : p.min();
			this.high = p.log() ? Math.log(p.max()) : p.max();
		}
		else if (parameter instanceof IntParameter p) {
			this.low = p.log() ? Math.log(p.min() - 0.5) : p.min() - 0.5;
			this.high = p.log() ? Math.log(p.max() + 0.5) : p.max() + 0.5;
		}
		else {
			this.low = 0;
			this.high = ((ChoiceParameter) parameter).values().size() - 1;
		}
	}

	String name() {
		return name;
	}

	boolean isChoice() {
		return parameter instanceof ChoiceParameter;
	}

	boolean isLog() {
		return parameter instanceof FloatParameter f ? f.log() : parameter instanceof IntParameter i && i.log();
	}

	/** Lower end of the working coordinate. */
	double low() {
		return low;
	}

	/** Upper end of the working coordinate. */
	double high() {
		return high;
	}

	double width() {
		return high - low;
	}

	/** How many values a choice has; 0 for numbers. */
	int choices() {
		return parameter instanceof ChoiceParameter c ? c.values().size() : 0;
	}

	/** A value as a working coordinate; a value that cannot be read counts as the default. */
	double encode(Object value) {
		Object canonical = canonical(value);
		if (parameter instanceof ChoiceParameter c) {
			// A run recorded before the parameter existed (an edited experiment) has no value: the default, as for numbers.
			int index = canonical == null ? -1 : c.values().indexOf(canonical);
			return index >= 0 ? index : c.values().indexOf(c.defaultValue());
		}
		double number = canonical instanceof Number n ? n.doubleValue() : ((Number) parameter.defaultObject()).doubleValue();
		double coordinate = isLog() ? Math.log(Math.max(number, Double.MIN_NORMAL)) : number;
		return Math.max(low, Math.min(high, coordinate));
	}

	/** A working coordinate as the value a proposal carries: Double, Long or String, always inside the space. */
	Object decode(double coordinate) {
		if (parameter instanceof ChoiceParameter c) {
			int index = (int) Math.max(0, Math.min(c.values().size() - 1, Math.round(coordinate)));
			return c.values().get(index);
		}
		double x = isLog() ? Math.exp(coordinate) : coordinate;
		if (parameter instanceof IntParameter p) {
			return Math.max(p.min(), Math.min(p.max(), Math.round(x)));
		}
		FloatParameter p = (FloatParameter) parameter;
		double rounded = Double.isFinite(x) ? new BigDecimal(x).round(PROPOSED_DIGITS).doubleValue() : x;
		return Math.max(p.min(), Math.min(p.max(), rounded));
	}

	/** A uniform coordinate: log-uniform on a log scale, every integer and choice equally likely. */
	double sample(SplittableRandom random) {
		if (isChoice()) {
			return random.nextInt(choices());
		}
		return low + random.nextDouble() * (high - low);
	}

	/** Where a coordinate lies between the ends, 0 to 1; a choice's index is returned as is. */
	double unit(double coordinate) {
		return isChoice() ? coordinate : (coordinate - low) / (high - low);
	}

	/**
	 * A value as equal values compare: a Double for floats, a Long for whole integers, a String for choices,
	 * or the value's text when it is none of these (it then equals nothing a strategy makes).
	 */
	Object canonical(Object value) {
		if (value == null) {
			return null;
		}
		if (parameter instanceof ChoiceParameter) {
			return String.valueOf(value);
		}
		BigDecimal number = number(value);
		if (number == null) {
			return String.valueOf(value);
		}
		if (parameter instanceof IntParameter) {
			return number.stripTrailingZeros().scale() <= 0 ? (Object) number.longValue() : number.doubleValue();
		}
		return number.doubleValue();
	}

	private static BigDecimal number(Object value) {
		try {
			if (value instanceof Double d) {
				return Double.isFinite(d) ? new BigDecimal(d) : null;
			}
			return new BigDecimal(String.valueOf(value).strip());
		}
		catch (NumberFormatException notANumber) {
			return null;
		}
	}

	/** The spec's default value. */
	Object defaultValue() {
		return parameter.defaultObject();
	}
}
