package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.MINIMAL_YAML;
import static dev.nightshift.experiments.spec.SpecFixtures.minimalYamlWith;
import static dev.nightshift.experiments.spec.SpecFixtures.resource;
import static dev.nightshift.experiments.spec.SpecFixtures.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class SpecValidationTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	/** The fields and rules of a YAML spec's violations. */
	private ListAssert<Tuple> assertYamlViolations(String yaml) {
		return assertThat(violationsOf(() -> parser.parseYaml(yaml)).stream()
				.map(violation -> tuple(violation.field(), violation.rule()))
				.toList());
	}

	private ListAssert<Tuple> assertParameterViolations(String parametersYaml) {
		return assertYamlViolations(minimalYamlWith("parameters:\n" + parametersYaml));
	}

	@Test
	void unknownKeyIsNamedWithTheAllowedKeys() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(minimalYamlWith("colour: blue\n")));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEqualTo("colour");
			assertThat(violation.rule()).isEqualTo("unknown-key");
			assertThat(violation.message()).contains("'colour'", "name, source, command, editable, objective");
		});
	}

	@Test
	void unknownKeyUnderAParameterIsNamedByItsPath() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(minimalYamlWith("""
                parameters:
                  lr: {type: float, min: 0.001, max: 0.1, step: 0.01}
                """)));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEqualTo("parameters.lr.step");
			assertThat(violation.rule()).isEqualTo("unknown-key");
			assertThat(violation.message()).contains("type, min, max, log, default");
		});
	}

	@Test
	void keysOfAnotherParameterTypeAreUnknown() {
		assertParameterViolations("  act: {type: choice, values: [a, b], log: true}\n")
				.containsExactly(tuple("parameters.act.log", "unknown-key"));
	}

	@Test
	void missingObjectiveIsRequired() {
		assertYamlViolations("""
                name: tiny
                command: python3 train.py
                budget: {run: 30s}
                """).containsExactly(tuple("objective", "required"));
	}

	@Test
	void missingObjectiveMetricIsRequired() {
		assertYamlViolations("""
                name: tiny
                command: python3 train.py
                objective: {goal: maximize}
                budget: {run: 30s}
                """).containsExactly(tuple("objective.metric", "required"));
	}

	@Test
	void missingNameCommandAndBudgetAreAllRequired() {
		assertYamlViolations("objective: {metric: loss}\n").containsExactly(
				tuple("name", "required"), tuple("command", "required"), tuple("budget", "required"));
	}

	@Test
	void anUnknownGoalIsRejected() {
		assertYamlViolations(MINIMAL_YAML.replace("{metric: val_loss}", "{metric: val_loss, goal: lower}"))
				.containsExactly(tuple("objective.goal", "one-of"));
	}

	@Test
	void minAboveMaxIsAMinMaxViolation() {
		assertParameterViolations("  lr: {type: float, min: 0.1, max: 0.01}\n")
				.containsExactly(tuple("parameters.lr.min", "min-max"));
	}

	@Test
	void minEqualToMaxIsAMinMaxViolationToo() {
		assertParameterViolations("  n: {type: int, min: 8, max: 8}\n")
				.containsExactly(tuple("parameters.n.min", "min-max"));
	}

	@Test
	void defaultOutsideTheRangeIsOutOfRange() {
		assertParameterViolations("""
                  lr: {type: float, min: 1.0e-4, max: 1.0e-2, default: 0.5}
                  n:  {type: int, min: 8, max: 64, default: 4}
                  act: {type: choice, values: [tanh, relu], default: gelu}
                """).containsExactly(
				tuple("parameters.lr.default", "out-of-range"),
				tuple("parameters.n.default", "out-of-range"),
				tuple("parameters.act.default", "out-of-range"));
	}

	@Test
	void logScaleNeedsAPositiveMin() {
		assertParameterViolations("""
                  wd: {type: float, min: 0, max: 0.1, log: true}
                  n:  {type: int, min: -4, max: 64, log: true}
                """).containsExactly(
				tuple("parameters.wd.log", "log-scale"),
				tuple("parameters.n.log", "log-scale"));
	}

	@Test
	void unknownParameterTypeListsTheKnownTypes() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(minimalYamlWith(
				"parameters:\n  depth: {type: integer, min: 1, max: 12}\n")));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEqualTo("parameters.depth.type");
			assertThat(violation.rule()).isEqualTo("unknown-parameter-type");
			assertThat(violation.message()).contains("float, int or choice");
		});
	}

	@Test
	void aParameterWithoutTypeIsRequiredToHaveOne() {
		assertParameterViolations("  lr: {min: 0.1, max: 1}\n").containsExactly(tuple("parameters.lr.type", "required"));
	}

	@Test
	void intBoundsMustBeWholeNumbers() {
		assertParameterViolations("  n: {type: int, min: 1.5, max: 8, default: 2.25}\n").containsExactly(
				tuple("parameters.n.min", "type"), tuple("parameters.n.default", "type"));
	}

	@Test
	void wrongValueTypesAreTypeViolations() {
		assertYamlViolations(minimalYamlWith("""
                editable: {file: train.py}
                resources: {gpus: many}
                parameters:
                  lr: {type: float, min: abc, max: [1], log: maybe}
                  act: 5
                """)).containsExactly(
				tuple("editable", "type"),
				tuple("parameters.lr.min", "type"),
				tuple("parameters.lr.max", "type"),
				tuple("parameters.lr.log", "type"),
				tuple("parameters.act", "type"),
				tuple("resources.gpus", "type"));
	}

	@Test
	void budgetThatDoesNotParseIsADurationViolation() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(
				MINIMAL_YAML.replace("{run: 30s}", "{run: two minutes}")));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEqualTo("budget.run");
			assertThat(violation.rule()).isEqualTo("duration");
			assertThat(violation.message()).contains("90s", "1h30m");
		});
	}

	@Test
	void budgetsOfZeroOrOverAWeekAreRejected() {
		assertYamlViolations(MINIMAL_YAML.replace("{run: 30s}", "{run: 0s}"))
				.containsExactly(tuple("budget.run", "duration"));
		assertYamlViolations(MINIMAL_YAML.replace("{run: 30s}", "{run: 8d}"))
				.containsExactly(tuple("budget.run", "out-of-range"));
	}

	@Test
	void badNameIsAPatternViolation() {
		assertYamlViolations(MINIMAL_YAML.replace("name: tiny", "name: my experiment!"))
				.containsExactly(tuple("name", "pattern"));
		assertYamlViolations(MINIMAL_YAML.replace("name: tiny", "name: " + "x".repeat(65)))
				.containsExactly(tuple("name", "pattern"));
	}

	@Test
	void badParameterNameIsAPatternViolation() {
		assertParameterViolations("""
                  Learning-Rate: {type: float, min: 0.1, max: 1}
                  2nd: {type: int, min: 1, max: 2}
                """).containsExactly(
				tuple("parameters.Learning-Rate", "pattern"),
				tuple("parameters.2nd", "pattern"));
	}

	@Test
	void parameterNamesThatWouldOverwriteTheRunEnvironmentAreReserved() {
		assertParameterViolations("""
                  nightshift_run_id: {type: int, min: 1, max: 2}
                  cuda_visible_devices: {type: int, min: 1, max: 2}
                """).containsExactly(
				tuple("parameters.nightshift_run_id", "reserved"),
				tuple("parameters.cuda_visible_devices", "reserved"));
	}

	@Test
	void duplicateChoiceValuesAreNamedByTheirIndex() {
		assertParameterViolations("  act: {type: choice, values: [tanh, relu, tanh]}\n")
				.containsExactly(tuple("parameters.act.values[2]", "unique"));
	}

	@Test
	void aChoiceNeedsAtLeastOneValue() {
		assertParameterViolations("  act: {type: choice, values: []}\n")
				.containsExactly(tuple("parameters.act.values", "not-empty"));
	}

	@Test
	void editableGlobsMustStayInsideTheRepository() {
		assertYamlViolations(minimalYamlWith("editable: [train.py, /etc/passwd, ../x.py, src/../../y, '']\n"))
				.containsExactly(
						tuple("editable[1]", "pattern"),
						tuple("editable[2]", "pattern"),
						tuple("editable[3]", "pattern"),
						tuple("editable[4]", "not-empty"));
	}

	@Test
	void resourcesAndNoiseOutsideTheirRangesAreRejected() {
		assertYamlViolations(minimalYamlWith("""
                resources: {gpus: -1}
                noise: {replicates: 21, min_delta: -0.1}
                """)).containsExactly(
				tuple("resources.gpus", "out-of-range"),
				tuple("noise.replicates", "out-of-range"),
				tuple("noise.min_delta", "out-of-range"));
	}

	@Test
	void aTildeMeansNothingLikeAMissingKey() {
		assertYamlViolations(MINIMAL_YAML.replace("command: python3 train.py", "command: ~")
				+ "parameters:\n  lr: ~\n").containsExactly(
				tuple("command", "required"), tuple("parameters.lr", "type"));
		assertThat(parser.parseYaml(minimalYamlWith("source: ~\nbrief:\n")).source()).isNull();
	}

	/** One spec with a mistake in nearly every section: all of them are reported together, in document order. */
	private static final Tuple[] MANY_ERRORS = {
		tuple("name", "pattern"),
		tuple("editable[1]", "pattern"),
		tuple("objective.metric", "required"),
		tuple("objective.goal", "one-of"),
		tuple("budget.run", "duration"),
		tuple("parameters.lr.min", "min-max"),
		tuple("parameters.wd.log", "log-scale"),
		tuple("parameters.n_embd.step", "unknown-key"),
		tuple("parameters.n_embd.default", "out-of-range"),
		tuple("parameters.act.values[2]", "unique"),
		tuple("parameters.Dropout", "pattern"),
		tuple("parameters.depth.type", "unknown-parameter-type"),
		tuple("resources.gpus", "out-of-range"),
		tuple("noise.replicates", "out-of-range"),
	};

	@Test
	void severalErrorsAreAllReportedTogether() {
		assertYamlViolations(resource("many-errors.yaml"))
				.containsExactlyInAnyOrder(withUnknownColour(MANY_ERRORS));
	}

	@Test
	void aJsonDocumentWithTheSameErrorsGetsTheSameViolations() {
		assertThat(violationsOf(() -> parser.parseJson(resource("many-errors.json"))))
				.isEqualTo(violationsOf(() -> parser.parseYaml(resource("many-errors.yaml"))));
	}

	@Test
	void theExceptionMessageListsEveryViolationByField() {
		assertThatThrownBy(() -> parser.parseYaml(resource("many-errors.yaml")))
				.isInstanceOf(SpecValidationException.class)
				.hasMessageStartingWith("invalid experiment spec: ")
				.hasMessageContainingAll("colour: unknown key", "; name: ", "; budget.run: ",
						"; parameters.lr.min: min (0.1) must be less than max (0.01)");
	}

	private static Tuple[] withUnknownColour(Tuple[] violations) {
		Tuple[] all = Arrays.copyOf(violations, violations.length + 1);
		all[violations.length] = tuple("colour", "unknown-key");
		return all;
	}
}
