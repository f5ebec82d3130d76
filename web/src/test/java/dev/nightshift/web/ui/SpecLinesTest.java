package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.experiments.spec.SpecValidationException;
import org.junit.jupiter.api.Test;

/** The validator's field paths, found again as lines of the document a person wrote. */
class SpecLinesTest {

	private static final String BROKEN = """
			name: lines
			command: python3 train.py
			editable: [train.py, "[broken"]
			objective: {metric: val_loss, goal: minimize}
			budget:
			  run: soon
			parameters:
			  lr:
			    type: float
			    min: 2.0
			    max: 1.0
			colour: blue
			""";

	@Test
	void everyBrokenRuleOfTheParserIsPlacedOnTheLineOfItsField() {
		SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
				() -> new ExperimentSpecParser().parseYaml(BROKEN));
		List<SpecLines.Placed> placed = SpecLines.of(BROKEN).place(refused.violations());

		assertThat(placed).extracting(SpecLines.Placed::field, SpecLines.Placed::line)
			.contains(tuple("budget.run", 6),
					tuple("colour", 12))
			.allSatisfy(fieldAndLine -> assertThat(fieldAndLine.toList().get(1)).isNotNull());
		assertThat(placed).filteredOn(p -> p.field().startsWith("parameters.lr"))
			.extracting(SpecLines.Placed::line).containsAnyOf(10, 11);
		assertThat(placed).filteredOn(p -> p.field().startsWith("editable"))
			.extracting(SpecLines.Placed::line).containsOnly(3);
	}

	@Test
	void aMissingFieldIsPlacedOnItsNearestParentAndASyntaxErrorOnTheLineItNames() {
		SpecLines lines = SpecLines.of("name: x\nobjective:\n  goal: minimize\n");
		assertThat(lines.line("objective.metric")).contains(2);
		assertThat(lines.line("command")).isEmpty();

		String unreadable = "name: x\ncommand: [unclosed\nbudget: {run: 2m}\n";
		SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
				() -> new ExperimentSpecParser().parseYaml(unreadable));
		List<SpecLines.Placed> placed = SpecLines.of(unreadable).place(refused.violations());
		assertThat(placed).singleElement().satisfies(p -> {
			assertThat(p.rule()).isEqualTo("syntax");
			assertThat(p.line()).isNotNull().isBetween(2, 4);
		});
	}
}
