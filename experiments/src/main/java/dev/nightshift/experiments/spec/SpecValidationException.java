package dev.nightshift.experiments.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A specification that cannot be accepted, with every violation found in one pass so that a person can fix them all
 * at once. The message lists them ({@code field: message; ...}) and never carries a parser's stack trace.
 */
public class SpecValidationException extends RuntimeException {

	private final List<SpecViolation> violations;

	/** Creates the exception; {@code violations} must not be empty. */
	public SpecValidationException(List<SpecViolation> violations) {
		super(describe(violations));
		if (violations.isEmpty()) {
			throw new IllegalArgumentException("a validation failure needs at least one violation");
		}
		this.violations = List.copyOf(violations);
	}

	/** The violations, in the order they were found (document order, roughly). */
	public List<SpecViolation> violations() {
		return violations;
	}

	private static String describe(List<SpecViolation> violations) {
		return "invalid experiment spec: "
				+ violations.stream().map(SpecViolation::toString).collect(Collectors.joining("; "));
	}
}
