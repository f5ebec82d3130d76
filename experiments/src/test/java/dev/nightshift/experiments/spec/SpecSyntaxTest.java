package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.MINIMAL_YAML;
import static dev.nightshift.experiments.spec.SpecFixtures.minimalYamlWith;
import static dev.nightshift.experiments.spec.SpecFixtures.resource;
import static dev.nightshift.experiments.spec.SpecFixtures.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Random;
import org.assertj.core.api.ListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Documents that are not a spec at all: syntax errors, empty documents, lists, repeated keys. */
class SpecSyntaxTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	private ListAssert<Tuple> assertYamlViolations(String yaml) {
		return assertThat(violationsOf(() -> parser.parseYaml(yaml)).stream()
				.map(violation -> tuple(violation.field(), violation.rule()))
				.toList());
	}

	@Test
	void aYamlSyntaxErrorIsOneViolationWithItsLineAndColumn() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml("""
                name: tiny
                objective: {metric: loss
                budget: {run: 30s}
                """));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEmpty();
			assertThat(violation.rule()).isEqualTo("syntax");
			assertThat(violation.message()).startsWith("YAML syntax error at line 3, column").doesNotContain(
					"\n", "at tools.", "Exception", "in reader");
		});
	}

	@Test
	void aTabIndentIsReportedOnItsOwnLine() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml("name: tiny\n\tcommand: x\n"));

		assertThat(violations).singleElement().extracting(SpecViolation::message).asString()
				.startsWith("YAML syntax error at line 2, column 1:").contains("TAB");
	}

	@Test
	void notANumberIsASyntaxViolationWithoutJavaNames() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(minimalYamlWith(
				"parameters:\n  lr: {type: float, min: .nan, max: 1}\n")));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.rule()).isEqualTo("syntax");
			assertThat(violation.message()).contains("line 6", "'.nan'").doesNotContain("java.", "Exception");
		});
	}

	@Test
	void anEmptyDocumentIsASyntaxViolation() {
		for (String empty : new String[] {"", "  \n", "# only a comment\n", "~\n"}) {
			assertYamlViolations(empty).as("document %s", empty).containsExactly(tuple("", "syntax"));
		}
		assertThat(violationsOf(() -> parser.parseJson(""))).extracting(SpecViolation::rule).containsExactly("syntax");
		assertThat(violationsOf(() -> parser.parseYaml(null))).extracting(SpecViolation::rule).containsExactly("syntax");
	}

	@Test
	void aDocumentThatIsNotAnObjectIsASyntaxViolation() {
		assertYamlViolations("- name: tiny\n").containsExactly(tuple("", "syntax"));
		assertYamlViolations("just some text\n").containsExactly(tuple("", "syntax"));
		assertThat(violationsOf(() -> parser.parseJson("[1, 2]"))).extracting(SpecViolation::rule)
				.containsExactly("syntax");
	}

	@Test
	void aRepeatedKeyOrASecondDocumentIsASyntaxViolation() {
		List<SpecViolation> repeated = violationsOf(() -> parser.parseYaml(MINIMAL_YAML + "name: other\n"));
		assertThat(repeated).singleElement().satisfies(violation -> {
			assertThat(violation.rule()).isEqualTo("syntax");
			assertThat(violation.message()).contains("duplicate key", "name", "line 5");
		});
		assertYamlViolations(MINIMAL_YAML + "---\n" + MINIMAL_YAML).containsExactly(tuple("", "syntax"));
	}

	@Test
	void aJsonSyntaxErrorIsOneViolationWithItsLineAndColumn() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseJson("{\n  \"name\": \"tiny\",\n}"));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEmpty();
			assertThat(violation.rule()).isEqualTo("syntax");
			assertThat(violation.message()).startsWith("JSON syntax error at line 3, column 1");
		});
	}

	@Test
	void damagedSpecsAreRejectedWithViolationsAndNeverWithAnotherException() {
		Random random = new Random(42);
		String[] originals = {resource("micro-gpt.yaml"), resource("micro-gpt.json"), resource("many-errors.yaml")};
		String noise = ":{}[],-#'\"\t\n ~&*!|>%@`0123456789.eE+abc";
		for (int i = 0; i < 3_000; i++) {
			StringBuilder text = new StringBuilder(originals[i % originals.length]);
			for (int edits = 1 + random.nextInt(4); edits > 0 && text.length() > 0; edits--) {
				int at = random.nextInt(text.length());
				if (random.nextBoolean()) {
					text.deleteCharAt(at);
				} else {
					text.insert(at, noise.charAt(random.nextInt(noise.length())));
				}
			}
			String damaged = text.toString();
			for (SpecFormat format : SpecFormat.values()) {
				try {
					parser.parse(damaged, format);
				} catch (SpecValidationException expected) {
					assertThat(expected.violations()).as(damaged).isNotEmpty();
					assertThat(expected.getMessage()).as(damaged).doesNotContain("\tat ", "Exception");
				}
			}
		}
	}
}
