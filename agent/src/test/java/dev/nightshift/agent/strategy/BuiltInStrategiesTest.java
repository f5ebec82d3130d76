package dev.nightshift.agent.strategy;

import static dev.nightshift.agent.strategy.Strategies.context;
import static dev.nightshift.agent.strategy.Strategies.number;
import static dev.nightshift.agent.strategy.Strategies.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.Decision;
import dev.nightshift.agent.ResearchContext.PendingProposal;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.proposal.ParameterCheck;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What every built-in strategy promises: reproducible, inside the space, never a repeat. */
class BuiltInStrategiesTest {

	static List<Proposer> strategies() {
		return List.of(new RandomSearch(), new TreeParzenEstimator(), new LocalSearch());
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void theSameContextAndSeedGiveTheSameProposals(Proposer strategy) {
		ResearchContext context = context(Strategies.square(Goal.MINIMIZE), squareHistory(15, 7), 42);

		List<ProposalDraft> first = strategy.propose(context, 3);
		List<ProposalDraft> second = strategy.propose(context, 3);

		assertThat(first).hasSize(3).isEqualTo(second);
		assertThat(strategy.propose(context(Strategies.square(Goal.MINIMIZE), squareHistory(15, 7), 43), 3))
			.isNotEqualTo(first);
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void valuesAreAlwaysOfTheirTypeAndInsideTheSpace(Proposer strategy) {
		SplittableRandom random = new SplittableRandom(2024);
		for (int round = 0; round < 150; round++) {
			ExperimentSpec spec = Strategies.spec(random.nextBoolean() ? Goal.MINIMIZE : Goal.MAXIMIZE, randomSpace(random));
			List<RunSummary> history = new ArrayList<>();
			int runs = random.nextInt(25);
			for (ProposalDraft draft : new RandomSearch().propose(context(spec, List.of(), round), runs)) {
				Double objective = random.nextInt(5) == 0 ? null : random.nextDouble();
				history.add(0, run(history.size() + 1, draft.params(), objective));
			}

			for (ProposalDraft draft : strategy.propose(context(spec, history, round), 3)) {
				assertThat(draft.params()).containsOnlyKeys(spec.parameters().keySet());
				assertThatNoException().as("%s in %s", draft.params(), spec.parameters())
					.isThrownBy(() -> ParameterCheck.normalise(spec, draft.params()));
				assertThat(ParameterCheck.normalise(spec, draft.params())).isEqualTo(draft.params());
				spec.parameters().forEach((name, parameter) -> assertThat(draft.params().get(name))
					.isInstanceOf(parameter instanceof FloatParameter ? Double.class
							: parameter instanceof IntParameter ? Long.class : String.class));
			}
		}
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void neverProposesValuesAlreadyRunPendingVetoedOrProposedInTheSameCall(Proposer strategy) {
		Map<String, ParameterSpec> space = new LinkedHashMap<>();
		space.put("layers", new IntParameter(1, 3, false, 1));
		space.put("act", new ChoiceParameter(List.of("tanh", "relu"), "tanh"));
		ExperimentSpec spec = Strategies.spec(Goal.MINIMIZE, space);
		List<RunSummary> history = List.of(run(3, Map.of("layers", 1, "act", "tanh"), 1.0),
				run(2, Map.of("layers", 2.0, "act", "tanh"), 0.5), run(1, Map.of("layers", 3L, "act", "relu"), 2.0));
		// Partial values are completed on the best run (layers 2), as the scheduler would run them.
		List<PendingProposal> pending = List.of(new PendingProposal(10, "APPROVED", Map.of("act", "relu"), null));
		List<Decision> vetoes = List.of(new Decision(11, "VETOED", Map.of("layers", 1, "act", "relu"), null, "q", "no"));

		List<ProposalDraft> drafts = strategy.propose(context(spec, history, pending, vetoes, List.of(), 5), 5);

		assertThat(drafts).extracting(ProposalDraft::params)
			.containsExactly(Map.of("layers", 3L, "act", "tanh"));
		List<RunSummary> all = new ArrayList<>(history);
		all.add(0, run(4, Map.of("layers", 3, "act", "tanh"), 0.7));
		assertThat(strategy.propose(context(spec, all, pending, vetoes, List.of(), 5), 2)).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void manyProposalsInOneCallAreAllDifferent(Proposer strategy) {
		List<ProposalDraft> drafts = strategy.propose(context(Strategies.square(Goal.MINIMIZE), squareHistory(12, 3), 9), 8);

		Set<Map<String, Object>> distinct = new HashSet<>();
		drafts.forEach(draft -> distinct.add(draft.params()));
		assertThat(distinct).hasSize(8);
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void eachProposalCarriesAQuestionAndAnHonestRationale(Proposer strategy) {
		ResearchContext context = context(Strategies.square(Goal.MINIMIZE), squareHistory(14, 1), 3);
		ProposalDraft draft = strategy.propose(context, 1).get(0);

		assertThat(strategy.name()).startsWith("strategy:");
		assertThat(draft.failed()).isFalse();
		assertThat(draft.questionId()).isNull();
		assertThat(draft.question()).endsWith("?");
		assertThat(draft.question() + draft.rationale()).containsAnyOf("x", "y");
		assertThat(draft.rationale()).contains("after 14 runs").contains("run " + context.best().id())
			.contains(Wording.number(context.best().objective()));
		assertThat(draft.expectedEffect()).isNotBlank();
		assertThat(draft.usage().costUsd()).isZero();
	}

	@Test
	void theModelBasedStrategySaysHowStronglyItPrefersItsPick() {
		ResearchContext context = context(Strategies.square(Goal.MINIMIZE), squareHistory(14, 1), 3);
		ProposalDraft draft = new TreeParzenEstimator().propose(context, 1).get(0);

		assertThat(draft.rationale()).startsWith("TPE: l(x)/g(x)=").contains("2 good");
		// Its pick moves x and y at once: an exploration, which claims nothing about either.
		assertThat(draft.question()).isEqualTo("Where else in the space is loss below "
				+ Wording.number(context.best().objective()) + ", the best so far (run " + context.best().id() + ")?");
		assertThat(draft.expectedEffect())
			.isEqualTo("loss below " + Wording.number(context.best().objective()) + " (the best so far)");
	}

	@ParameterizedTest
	@MethodSource("strategies")
	void aSpaceWithoutParametersGetsNoProposal(Proposer strategy) {
		assertThat(strategy.propose(context(Strategies.spec(Goal.MINIMIZE, Map.of()), List.of(), 1), 3)).isEmpty();
	}

	/** {@code n} runs on the square spec, newest first, scored by the distance to (1, -2). */
	static List<RunSummary> squareHistory(int n, long seed) {
		List<RunSummary> history = new ArrayList<>();
		for (ProposalDraft draft : new RandomSearch().propose(context(Strategies.square(Goal.MINIMIZE), List.of(), seed), n)) {
			double x = number(draft.params(), "x");
			double y = number(draft.params(), "y");
			history.add(0, run(history.size() + 1, draft.params(), (x - 1) * (x - 1) + (y + 2) * (y + 2)));
		}
		return history;
	}

	private static Map<String, ParameterSpec> randomSpace(SplittableRandom random) {
		Map<String, ParameterSpec> space = new LinkedHashMap<>();
		int size = 1 + random.nextInt(5);
		for (int i = 0; i < size; i++) {
			space.put("p" + i, randomParameter(random));
		}
		return space;
	}

	private static ParameterSpec randomParameter(SplittableRandom random) {
		switch (random.nextInt(7)) {
			case 0:
				return FloatParameter.withMidpointDefault(-1e12, 1e12, false);
			case 1:
				return FloatParameter.withMidpointDefault(1e-9, 1e-8 + random.nextDouble(), true);
			case 2:
				double low = random.nextDouble() * 10 - 5;
				return FloatParameter.withMidpointDefault(low, low + Math.ulp(low) * 8 + random.nextDouble(), random.nextBoolean() && low > 0);
			case 3:
				return IntParameter.withMidpointDefault(0, 1, false);
			case 4:
				return IntParameter.withMidpointDefault(1, 1 + random.nextInt(1_000_000_000), random.nextBoolean());
			case 5:
				return IntParameter.withMidpointDefault(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4, false);
			default:
				List<String> values = new ArrayList<>();
				for (int i = 0; i <= random.nextInt(4); i++) {
					values.add(i == 0 ? "1e-3" : "v" + i);
				}
				return ChoiceParameter.withFirstAsDefault(values);
		}
	}
}
