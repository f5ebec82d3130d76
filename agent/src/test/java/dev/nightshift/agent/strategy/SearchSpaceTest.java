package dev.nightshift.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.ParameterSpec;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

	private final ExperimentSpec spec = Strategies.spec(Goal.MINIMIZE, parameters());
	private final SearchSpace space = new SearchSpace(spec);

	private static Map<String, ParameterSpec> parameters() {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		parameters.put("lr", new FloatParameter(0.001, 0.1, true, 0.01));
		parameters.put("act", new ChoiceParameter(List.of("tanh", "relu", "gelu"), "relu"));
		return parameters;
	}

	@Test
	void aValueAParameterLacksCountsAsItsDefaultChoicesIncluded() {
		// As in the runs of an experiment edited to add a parameter: they were recorded without it.
		double[] point = space.encode(Map.of("lr", 0.05));

		assertThat(point[1]).isEqualTo(1.0);
		assertThat(space.encode(Map.of("lr", 0.05, "act", "gelu"))[1]).isEqualTo(2.0);
		assertThat(space.encode(Map.of("lr", 0.05, "act", "swish"))[1]).isEqualTo(1.0);
	}

	@Test
	void everyStrategyProposesFromAHistoryWhoseRunsLackAChoiceParameter() {
		ResearchContext context = Strategies.context(spec, List.of(Strategies.run(1, Map.of("lr", 0.01), 1.0),
				Strategies.run(2, Map.of("lr", 0.02), 0.9), Strategies.run(3, Map.of("lr", 0.03), 0.8)), 7);

		for (Proposer strategy : BuiltInStrategiesTest.strategies()) {
			assertThat(strategy.propose(context, 2)).as(strategy.name()).hasSize(2);
		}
	}
}
