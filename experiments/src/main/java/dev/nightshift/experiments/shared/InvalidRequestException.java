package dev.nightshift.experiments.shared;

import java.util.List;
import java.util.stream.Collectors;

/** A request that breaks one or more rules; all of them are reported together. */
public class InvalidRequestException extends RuntimeException {

	private final List<Violation> violations;

	public InvalidRequestException(List<Violation> violations) {
		super(violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	public InvalidRequestException(String field, String rule, String message) {
		this(List.of(new Violation(field, rule, message)));
	}

	public List<Violation> violations() {
		return violations;
	}
}
