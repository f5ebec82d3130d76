package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.minimalYamlWith;
import static dev.nightshift.experiments.spec.SpecFixtures.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.assertj.core.api.ListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The documented limits of a specification: each broken one is a violation naming the field. */
class SpecLimitsTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	private ListAssert<Tuple> assertViolations(String yaml) {
		return assertThat(violationsOf(() -> parser.parseYaml(yaml)).stream()
			.map(violation -> tuple(violation.field(), violation.rule()))
			.toList());
	}

	@Test
	void aDocumentOverTheLimitIsRefusedBeforeItIsParsed() {
		assertViolations("name: " + "n".repeat(10 * 1024 * 1024) + "\n").containsExactly(tuple("", "syntax"));
		assertViolations("{\"name\": \"" + "n".repeat(ExperimentSpecParser.MAX_DOCUMENT_CHARS) + "\"}")
			.containsExactly(tuple("", "syntax"));
	}

	@Test
	void aBriefOverTwentyThousandCharactersIsRefused() {
		assertViolations(minimalYamlWith("brief: " + "b".repeat(SpecTreeReader.MAX_BRIEF_CHARS + 1) + "\n"))
			.containsExactly(tuple("brief", "too-long"));
		assertThat(parser.parseYaml(minimalYamlWith("brief: " + "b".repeat(SpecTreeReader.MAX_BRIEF_CHARS) + "\n"))
			.brief()).hasSize(SpecTreeReader.MAX_BRIEF_CHARS);
	}

	@Test
	void aChoiceOfMoreThanAThousandValuesIsRefused() {
		String values = IntStream.range(0, 100_000).mapToObj(i -> "v" + i).collect(Collectors.joining(", "));
		assertViolations(minimalYamlWith("parameters:\n  act: {type: choice, values: [" + values + "]}\n"))
			.containsExactly(tuple("parameters.act.values", "out-of-range"));
	}

	@Test
	void moreGpusThanAnyMachineHasAreRefused() {
		assertViolations(minimalYamlWith("resources: {gpus: 1000000}\n"))
			.containsExactly(tuple("resources.gpus", "out-of-range"));
		assertThat(parser.parseYaml(minimalYamlWith("resources: {gpus: 64}\n")).resources().gpus()).isEqualTo(64);
	}

	@Test
	void anEditableGlobThatDoesNotCompileIsRefused() {
		assertViolations(minimalYamlWith("editable: [\"[\", \"src/**/*.py\"]\n"))
			.containsExactly(tuple("editable[0]", "glob"));
	}

	@Test
	void textWithANulCharacterIsRefused() {
		assertViolations(minimalYamlWith("brief: \"a\\0b\"\n")).containsExactly(tuple("brief", "no-nul"));
	}
}
