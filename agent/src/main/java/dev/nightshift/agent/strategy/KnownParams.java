package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;

/**
 * Parameter values a strategy must not propose: those of every run it is shown, of every pending proposal,
 * of every vetoed or rejected proposal, and whatever it already proposed in this call. Partial values of
 * proposals are completed on the current best, as the scheduler would run them.
 * <p>
 * Dead ends: a run tied to a DEAD_END or REFUTED question also closes a small box around its values (every
 * number within {@link #DEAD_END_RADIUS} of its range, every choice equal), so a strategy does not walk back
 * into a closed question by a rounding error. Wider regions stay open: a question is about a change, not
 * about a region, and the model-based strategy already learns from those runs' objectives.
 */
final class KnownParams {

	/** Half the side of the box around a dead end's run, as a share of each numeric range. */
	static final double DEAD_END_RADIUS = 0.01;

	private final SearchSpace space;
	private final Set<List<Object>> seen = new HashSet<>();
	private final List<double[]> deadEnds = new ArrayList<>();

	private KnownParams(SearchSpace space) {
		this.space = space;
	}

	static KnownParams of(SearchSpace space, ResearchContext context) {
		KnownParams known = new KnownParams(space);
		Set<Long> deadEndQuestions = new HashSet<>();
		for (QuestionSummary question : nonNull(context.deadEnds())) {
			deadEndQuestions.add(question.id());
		}
		List<RunSummary> runs = new ArrayList<>(nonNull(context.history()));
		runs.addAll(nonNull(context.topRuns()));
		runs.addAll(nonNull(context.crashes()));
		if (context.best() != null) {
			runs.add(context.best());
		}
		if (context.baseline() != null) {
			runs.add(context.baseline());
		}
		Set<Long> runIds = new HashSet<>();
		for (RunSummary run : runs) {
			if (!runIds.add(run.id())) {
				continue;
			}
			Map<String, Object> params = space.complete(Map.of(), nonNull(run.params()));
			known.add(params);
			if (run.questionId() != null && deadEndQuestions.contains(run.questionId())) {
				known.deadEnds.add(space.encode(params));
			}
		}
		Map<String, Object> base = context.best() == null ? Map.of() : nonNull(context.best().params());
		for (ResearchContext.PendingProposal pending : nonNull(context.pending())) {
			known.add(space.complete(base, nonNull(pending.params())));
		}
		for (ResearchContext.Decision veto : nonNull(context.vetoes())) {
			known.add(space.complete(base, nonNull(veto.params())));
		}
		return known;
	}

	/** Whether {@code params} (full values) may be proposed: new, and not next to a dead end's run. */
	boolean admits(Map<String, Object> params) {
		return !seen.contains(space.key(params)) && !nearDeadEnd(space.encode(params));
	}

	/** Remembers values proposed in this call. */
	void add(Map<String, Object> params) {
		seen.add(space.key(params));
	}

	int deadEndRuns() {
		return deadEnds.size();
	}

	private boolean nearDeadEnd(double[] point) {
		for (double[] deadEnd : deadEnds) {
			if (within(point, deadEnd)) {
				return true;
			}
		}
		return false;
	}

	private boolean within(double[] point, double[] deadEnd) {
		for (int i = 0; i < point.length; i++) {
			Dimension dimension = space.get(i);
			double apart = dimension.isChoice() ? Math.abs(point[i] - deadEnd[i])
					: Math.abs(dimension.unit(point[i]) - dimension.unit(deadEnd[i]));
			if (dimension.isChoice() ? apart > 0 : apart > DEAD_END_RADIUS) {
				return false;
			}
		}
		return true;
	}

	private static <T> List<T> nonNull(List<T> list) {
		return list == null ? List.of() : list;
	}

	private static Map<String, Object> nonNull(Map<String, Object> map) {
		return map == null ? Map.of() : map;
	}
}
