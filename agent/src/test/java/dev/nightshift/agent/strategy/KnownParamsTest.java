package dev.nightshift.agent.strategy;

import static dev.nightshift.agent.strategy.Strategies.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.Goal;
import org.junit.jupiter.api.Test;

class KnownParamsTest {

	private final ExperimentSpec spec = Strategies.square(Goal.MINIMIZE);
	private final SearchSpace space = new SearchSpace(spec);

	@Test
	void valuesCompareByMeaningNotByTheirJavaType() {
		ResearchContext context = Strategies.context(spec, List.of(run(1, Map.of("x", 1, "y", "2.5"), 1.0)), 1);
		KnownParams known = KnownParams.of(space, context);

		assertThat(known.admits(Map.of("x", 1.0, "y", 2.5))).isFalse();
		assertThat(known.admits(Map.of("x", 1.0, "y", 2.50001))).isTrue();
	}

	@Test
	void theValuesOfADeadEndsRunsAndTheirCloseNeighboursAreClosed() {
		RunSummary deadEndRun = new RunSummary(1, 1L, 7L, "PROPOSAL", "SUCCEEDED", Map.of("x", 2.0, "y", 2.0), 3.0, null,
				"DISCARD", null, null, null);
		RunSummary otherRun = run(2, Map.of("x", -3.0, "y", -3.0), 4.0);
		QuestionSummary deadEnd = new QuestionSummary(7, null, "Does x near 2 help?", "DEAD_END", "No.", 1);
		ResearchContext context = Strategies.context(spec, List.of(otherRun, deadEndRun), List.of(), List.of(),
				List.of(deadEnd), 1);

		KnownParams known = KnownParams.of(space, context);

		assertThat(known.deadEndRuns()).isEqualTo(1);
		assertThat(known.admits(Map.of("x", 2.0, "y", 2.0))).isFalse();
		// One percent of the range [-5, 5] is 0.1.
		assertThat(known.admits(Map.of("x", 2.09, "y", 1.95))).isFalse();
		assertThat(known.admits(Map.of("x", 2.2, "y", 2.0))).isTrue();
		assertThat(known.admits(Map.of("x", -2.95, "y", -3.0))).isTrue();
	}
}
