package dev.nightshift.experiments.spec;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared inputs and helpers for the specification tests. */
final class SpecFixtures {

	/** The smallest valid spec; tests append the section they are about. */
	static final String MINIMAL_YAML = """
            name: tiny
            command: python3 train.py
            objective: {metric: val_loss}
            budget: {run: 30s}
            """;

	private SpecFixtures() {}

	/** The minimal spec plus some more top-level YAML. */
	static String minimalYamlWith(String moreYaml) {
		return MINIMAL_YAML + moreYaml;
	}

	/** A test resource under {@code spec/}. */
	static String resource(String name) {
		try (InputStream in = SpecFixtures.class.getResourceAsStream("/spec/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("no test resource spec/" + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The violations of a parse that must fail; fails the test when it does not. */
	static List<SpecViolation> violationsOf(ThrowingCallable parse) {
		SpecValidationException failure = catchThrowableOfType(SpecValidationException.class, parse);
		if (failure == null) {
			throw new AssertionError("expected the spec to be rejected, but it was accepted");
		}
		return failure.violations();
	}
}
