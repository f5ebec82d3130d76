package dev.nightshift.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A strategy whose directions around the best are all closed explores elsewhere, and a loop ends only when the
 * space is exhausted. Each night is replayed without a database: the strategy proposes one run at a time, a flat
 * objective means nothing ever improves, and a one-factor question becomes a dead end after three runs, as the
 * dead-end rule closes it; explorations never do.
 */
class KeepExploringTest {

	static Stream<Proposer> strategies() {
		return Stream.of(new RandomSearch(), new TreeParzenEstimator(), new LocalSearch());
	}

	/** The strategies that test directions around the best (random search only explores). */
	static Stream<Proposer> directed() {
		return Stream.of(new TreeParzenEstimator(), new LocalSearch());
	}

	/** The demo's kind of space, which once ran out of directions after about 60 runs. */
	static ExperimentSpec small() {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		parameters.put("lr", new FloatParameter(1e-4, 3e-2, true, 3e-3));
		parameters.put("n_embd", new IntParameter(8, 64, false, 16));
		parameters.put("act", new ChoiceParameter(List.of("tanh", "relu"), "tanh"));
		return Strategies.spec(Goal.MINIMIZE, parameters);
	}

	/** 4 × 3 × 2 = 24 points. */
	static ExperimentSpec tiny() {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		parameters.put("n_layer", new IntParameter(1, 4, false, 2));
		parameters.put("act", new ChoiceParameter(List.of("tanh", "relu", "gelu"), "tanh"));
		parameters.put("width", new ChoiceParameter(List.of("small", "large"), "small"));
		return Strategies.spec(Goal.MINIMIZE, parameters);
	}

	@ParameterizedTest
	@MethodSource("directed")
	void aNightWithoutImprovementKeepsProposingUntriedPointsLongAfterItsDirectionsAreClosed(Proposer strategy) {
		Night night = new Night(small());

		int made = night.replay(strategy, 150);

		assertThat(made).isEqualTo(150);
		assertThat(night.points).hasSize(150);
		assertThat(night.deadEnds).isNotEmpty();
		assertThat(night.explorations).isPositive();
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void aLoopEndsOnlyWhenEveryPointOfTheSpaceWasTried(Proposer strategy) {
		Night night = new Night(tiny());

		int made = night.replay(strategy, 100);

		assertThat(made).isEqualTo(24);
		assertThat(night.points).hasSize(24);
	}

	@ParameterizedTest
	@MethodSource("directed")
	void questionsSayWhatTheRunVariesAgainstTheBest(Proposer strategy) {
		Night night = new Night(small());
		night.replay(strategy, 40);

		// The first run had no best to vary; it becomes the best, as nothing beats it.
		Map<String, Object> best = night.drafts.get(0).params();
		assertThat(night.drafts.subList(1, night.drafts.size())).allSatisfy(draft -> {
			if (draft.question().startsWith("Where")) {
				return;
			}
			// A one-factor question: its run changes that one parameter of the best, nothing else.
			assertThat(draft.question()).matches("Does (a (higher|lower) (lr|n_embd) than .+|act = .+ instead of .+) improve loss\\?");
			assertThat(draft.params().keySet().stream().filter(name -> !draft.params().get(name).equals(best.get(name))))
				.hasSize(1);
		});
		assertThat(night.drafts).anySatisfy(draft -> assertThat(draft.question()).startsWith("Does "));
	}

	/** A replayed night: the runs, the questions with their runs, the dead ends. */
	private static final class Night {

		final ExperimentSpec spec;
		final List<RunSummary> history = new ArrayList<>();
		final Set<Map<String, Object>> points = new HashSet<>();
		final Map<String, Long> questionIds = new HashMap<>();
		final Map<String, Integer> questionRuns = new HashMap<>();
		final List<QuestionSummary> deadEnds = new ArrayList<>();
		final List<ProposalDraft> drafts = new ArrayList<>();
		int explorations;

		Night(ExperimentSpec spec) {
			this.spec = spec;
		}

		/** Lets the strategy propose up to {@code runs} runs, one per call; returns how many it made. */
		int replay(Proposer strategy, int runs) {
			for (int i = 0; i < runs; i++) {
				List<ProposalDraft> made = strategy.propose(Strategies.context(spec, history, List.of(), List.of(),
						deadEnds, 17), 1);
				if (made.isEmpty()) {
					return i;
				}
				ProposalDraft draft = made.get(0);
				drafts.add(draft);
				assertThat(points.add(draft.params())).as("a new point").isTrue();
				long question = questionIds.computeIfAbsent(draft.question(), text -> (long) questionIds.size() + 1);
				long id = i + 1;
				// Flat: the first run stays the best, nothing beats it.
				history.add(0, new RunSummary(id, id, question, "PROPOSAL", "SUCCEEDED", draft.params(),
						i == 0 ? 1.0 : 1.0 + 1e-3 * (1 + i % 7), null, null, null, null,
						Instant.parse("2026-01-01T00:00:00Z").plusSeconds(id)));
				if (draft.question().startsWith("Where")) {
					explorations++;
				}
				else if (questionRuns.merge(draft.question(), 1, Integer::sum) == 3) {
					deadEnds.add(new QuestionSummary(question, null, draft.question(), "DEAD_END", "three runs", 3));
				}
			}
			return runs;
		}
	}
}
