package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.minimalYamlWith;
import static dev.nightshift.experiments.spec.SpecFixtures.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PruningSpecTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	private Pruning pruning(String block) {
		return parser.parseYaml(minimalYamlWith("pruning: " + block + "\n")).pruning();
	}

	private ListAssert<Tuple> assertViolations(String block) {
		return assertThat(violationsOf(() -> parser.parseYaml(minimalYamlWith("pruning: " + block + "\n"))).stream()
				.map(violation -> tuple(violation.field(), violation.rule()))
				.toList());
	}

	@Test
	void withoutAPruningBlockNothingIsPruned() {
		assertThat(parser.parseYaml(minimalYamlWith("")).pruning()).isNull();
	}

	@Test
	void theMedianRuleDefaultsToTheObjectiveFiveRunsAndATenthOfTheRunAsWarmup() {
		assertThat(pruning("{rule: median}")).isEqualTo(new Pruning(Pruning.Rule.MEDIAN, "val_loss", Goal.MINIMIZE,
				new Pruning.Warmup(Duration.ZERO, 0.1, 0), 5, 3, List.of()));
		assertThat(pruning("{rule: median}")).isEqualTo(Pruning.defaults(Pruning.Rule.MEDIAN, "val_loss", Goal.MINIMIZE));
	}

	@Test
	void ashaDefaultsToRungsFromATenthOfTheRunUpByTheReductionFactorAndAFullRungOfEtaRuns() {
		Pruning asha = pruning("{rule: asha}");

		assertThat(asha.rungs()).containsExactly(0.1, 0.3, 0.9);
		assertThat(asha.minRuns()).isEqualTo(2);
		assertThat(asha.warmup()).isEqualTo(Pruning.Warmup.DEFAULT);
		assertThat(asha).isEqualTo(Pruning.defaults(Pruning.Rule.ASHA, "val_loss", Goal.MINIMIZE));
		assertThat(pruning("{rule: asha, reduction_factor: 2}").rungs()).containsExactly(0.1, 0.2, 0.4, 0.8);
		assertThat(pruning("{rule: asha, reduction_factor: 2}").minRuns()).isEqualTo(1);
		assertThat(pruning("{rule: asha, reduction_factor: 10}").rungs()).containsExactly(0.1);
		assertThat(pruning("{rule: asha, min_runs: 5}").minRuns()).isEqualTo(5);
	}

	@Test
	void aWarmupOfNoneOrZeroTurnsTheDefaultOffAndSurvivesTheJsonRoundTrip() {
		assertThat(pruning("{rule: median, warmup: none}").warmup()).isEqualTo(Pruning.Warmup.NONE);
		assertThat(pruning("{rule: median, warmup: 0}").warmup()).isEqualTo(Pruning.Warmup.NONE);
		ExperimentSpec spec = parser.parseYaml(minimalYamlWith("pruning: {rule: asha, warmup: none}\n"));
		assertThat(parser.parseJson(parser.toJson(spec)).pruning().warmup()).isEqualTo(Pruning.Warmup.NONE);
	}

	@Test
	void ashaReadsItsReductionFactorAndRungsAsACountOrFractions() {
		Pruning counted = pruning("{rule: ASHA, metric: acc, goal: max, warmup: 30s, min_runs: 2, reduction_factor: 2,"
				+ " rungs: 2}");
		Pruning listed = pruning("{rule: asha, rungs: [0.1, 0.5]}");

		assertThat(counted).isEqualTo(new Pruning(Pruning.Rule.ASHA, "acc", Goal.MAXIMIZE,
				new Pruning.Warmup(Duration.ofSeconds(30), 0, 0), 2, 2, List.of(0.25, 0.5)));
		assertThat(listed.rungs()).containsExactly(0.1, 0.5);
	}

	@Test
	void warmupIsADurationAFractionOfTheBudgetOrAStep() {
		assertThat(pruning("{rule: median, warmup: 0.1}").warmup()).isEqualTo(new Pruning.Warmup(Duration.ZERO, 0.1, 0));
		assertThat(pruning("{rule: median, warmup: 25%}").warmup().seconds(Duration.ofSeconds(30))).isEqualTo(7.5);
		assertThat(pruning("{rule: median, warmup: 300 steps}").warmup().steps()).isEqualTo(300);
		assertThat(pruning("{rule: median, warmup: 1m}").warmup().seconds(Duration.ofMinutes(5))).isEqualTo(60);
	}

	@Test
	void badSettingsAreNamedByTheirPath() {
		assertViolations("{rule: hyperband}").containsExactly(tuple("pruning.rule", "one-of"));
		assertViolations("{metric: loss}").containsExactly(tuple("pruning.rule", "required"));
		assertViolations("{rule: median, min_runs: 0, goal: up}")
			.containsExactly(tuple("pruning.goal", "one-of"), tuple("pruning.min_runs", "out-of-range"));
		assertViolations("{rule: asha, reduction_factor: 1}")
			.containsExactly(tuple("pruning.reduction_factor", "out-of-range"));
		assertViolations("{rule: asha, rungs: [0.5, 0.2]}").containsExactly(tuple("pruning.rungs[1]", "out-of-range"));
		assertViolations("{rule: asha, rungs: [1.5]}").containsExactly(tuple("pruning.rungs[0]", "out-of-range"));
		assertViolations("{rule: median, rungs: 3}").containsExactly(tuple("pruning.rungs", "asha-only"));
		assertViolations("{rule: median, patience: 3}").containsExactly(tuple("pruning.patience", "unknown-key"));
		assertViolations("median").containsExactly(tuple("pruning", "type"));
	}

	@Test
	void aWarmupWithoutUnitOrInAnUnknownFormIsRejectedWithTheFormsItTakes() {
		List<SpecViolation> violations = violationsOf(
				() -> parser.parseYaml(minimalYamlWith("pruning: {rule: median, warmup: 300}\n")));

		assertThat(violations).singleElement().satisfies(violation -> {
			assertThat(violation.field()).isEqualTo("pruning.warmup");
			assertThat(violation.message()).contains("300 steps", "10%");
		});
		assertViolations("{rule: median, warmup: soon}").containsExactly(tuple("pruning.warmup", "warmup"));
	}

	@Test
	void pruningSurvivesTheJsonRoundTripAndAnAbsentBlockStaysAbsent() {
		for (String block : List.of("{rule: median, warmup: 0.1}", "{rule: asha, warmup: 300 steps, rungs: [0.2]}",
				"{rule: asha}", "{rule: median, warmup: none}",
				"{rule: median, warmup: 90s, metric: loss}")) {
			ExperimentSpec spec = parser.parseYaml(minimalYamlWith("pruning: " + block + "\n"));
			assertThat(parser.parseJson(parser.toJson(spec))).isEqualTo(spec);
		}
		ExperimentSpec plain = parser.parseYaml(minimalYamlWith(""));
		assertThat(parser.toJson(plain)).doesNotContain("pruning");
	}

	@Test
	void jsonSpecsTakeTheSameBlock() {
		ExperimentSpec spec = parser.parseJson("""
                {"name": "tiny", "command": "python3 train.py", "objective": {"metric": "val_loss"},
                 "budget": {"run": "30s"}, "pruning": {"rule": "asha", "warmup": 0.2, "min_runs": 3}}
                """);

		assertThat(spec.pruning().rule()).isEqualTo(Pruning.Rule.ASHA);
		assertThat(spec.pruning().warmup().fraction()).isEqualTo(0.2);
		assertThat(spec.pruning().minRuns()).isEqualTo(3);
	}
}
