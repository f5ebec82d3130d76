package dev.nightshift.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightshift.agent.llm.LlmResearcher;
import dev.nightshift.agent.strategy.StrategyCatalog;
import dev.nightshift.experiments.experiment.ExperimentId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** Who proposes, by configuration. (The hybrid's turns over a loop are driven end to end in web's DebugStepTest.) */
class ProposerChoiceTest {

	@Test
	void hybridWithoutAnLlmStopsTheServerSayingWhatIsMissing() {
		assertThatThrownBy(() -> choice("hybrid"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("nightshift.loop.strategy=hybrid needs an LLM")
			.hasMessageContaining("nightshift.agent.provider");
	}

	@Test
	void aBuiltInStrategyProposesWithoutLimitAndNeverDebugs() {
		ProposerChoice choice = choice("evolution");

		assertThat(choice.turn(new ExperimentId(1))).hasValueSatisfying(turn -> {
			assertThat(turn.proposer().name()).isEqualTo("strategy:evolution");
			assertThat(turn.limit()).isEqualTo(Integer.MAX_VALUE);
		});
		assertThat(choice.debugger()).isEmpty();
	}

	@Test
	void tuningRunsDefaultToFourAndMustNotBeNegative() {
		assertThat(new HybridProperties(null).tuningRuns()).isEqualTo(4);
		assertThatThrownBy(() -> new HybridProperties(-1)).hasMessageContaining("tuning-runs");
	}

	private static ProposerChoice choice(String strategy) {
		return new ProposerChoice(new DefaultListableBeanFactory().getBeanProvider(LlmResearcher.class),
				new StrategyCatalog(), new LoopProperties(null, null, strategy, null), null);
	}
}
