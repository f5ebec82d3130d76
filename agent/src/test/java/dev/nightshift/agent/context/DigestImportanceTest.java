package dev.nightshift.agent.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.importance.Importance.ParameterEffect;
import org.junit.jupiter.api.Test;

/** The digest's "What matters" section: the importance of each parameter, with its caveat. */
class DigestImportanceTest {

	private final DigestRenderer renderer = new DigestRenderer();

	@Test
	void theImportanceOfEachParameterIsListedMostImportantFirst() {
		String digest = render(new Importance(new ExperimentId(1), 42, false, 10, true, 0.86, "From the 42 successful runs. The parameters explain 86% of how the objective varies between runs.",
				List.of(new ParameterEffect("lr", 0.71, 0.6, true), new ParameterEffect("act", 0.25, 0.2, true),
						new ParameterEffect("n_embd", 0.004, 0.003, true))));

		assertThat(digest).contains("""
				## What matters (parameter importance)
				- lr: 71%
				- act: 25%
				- n_embd: <1%
				From the 42 successful runs. The parameters explain 86% of how the objective varies between runs.
				""").doesNotContain("TRUSTWORTHY");
	}

	@Test
	void tooFewRunsComeWithTheCaveatAndAnUnvariedParameterSaysSo() {
		String digest = render(new Importance(new ExperimentId(1), 6, false, 10, false, 0.5,
				"From the 6 successful runs: not yet trustworthy, it needs 10 or more.",
				List.of(new ParameterEffect("lr", 1, 0.5, true), new ParameterEffect("act", 0, 0, false),
						new ParameterEffect("n_embd", 0, 0, true))));

		assertThat(digest).contains("NOT YET TRUSTWORTHY: 6 of the 10 successful runs it needs; a first impression only.\n")
			.contains("- act: 0% (not varied yet: says nothing)\n");
	}

	@Test
	void withoutTwoSuccessfulRunsOnlyTheNoteIsGiven() {
		String digest = render(new Importance(new ExperimentId(1), 0, false, 10, false, 0,
				"Needs at least 2 successful runs; there are none.", List.of(new ParameterEffect("lr", 0, 0, false))));

		assertThat(digest).contains("## What matters (parameter importance)\nNeeds at least 2 successful runs; there are none.\n\n## Best run");
	}

	@Test
	void aContextWithoutAnEstimateHasNoSuchSection() {
		assertThat(renderer.render(Contexts.context(10, 1, 1), 6000)).doesNotContain("What matters");
	}

	private String render(Importance importance) {
		ResearchContext plain = Contexts.context(10, 1, 1);
		ResearchContext context = new ResearchContext(plain.experimentId(), plain.spec(), plain.best(), plain.baseline(),
				plain.history(), plain.topRuns(), plain.deadEnds(), plain.openQuestions(), plain.vetoes(), plain.crashes(),
				plain.pending(), plain.runsLeft(), plain.seed(), importance);
		return renderer.render(context, 6000);
	}
}
