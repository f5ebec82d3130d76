package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.nightshift.agent.RunSummary;

/**
 * {@code strategy:evolution}: a (1+λ) evolution strategy around the best run. Each proposal is a child of the
 * best run's values (the baseline's, or the defaults, before there is a best) that changes one parameter, drawn
 * at random: a number takes a Gaussian step in working coordinates (log coordinates for {@code log: true}), a
 * choice flips to another value. One factor at a time, so that each child's run is evidence about that factor
 * and its question can be answered.
 * <p>
 * The step, as a share of each range, follows Rechenberg's 1/5 success rule replayed over the history: it
 * starts at {@value #INITIAL_STEP}, grows after a run that beat the best so far and shrinks after one that did
 * not, so it narrows in as generations pass without improvement. Where every nearby child has been tried,
 * later tries widen the step so the strategy still finds something new; where even that finds nothing, the
 * strategies' common loop restarts in an untried region.
 */
public final class LocalSearch extends SearchStrategy {

	static final double INITIAL_STEP = 0.2;
	static final double MIN_STEP = 0.01;
	static final double MAX_STEP = 0.5;

	// Growing by e^0.8 on success and shrinking by e^-0.2 on failure balances at one success in five.
	private static final double GROW = Math.exp(0.8);
	private static final double SHRINK = Math.exp(-0.2);
	private static final int TRIES_PER_WIDENING = 25;

	public LocalSearch() {
		super("evolution");
	}

	@Override
	Candidate next(Search search) {
		Parent parent = parent(search);
		Step step = step(search.trials());
		double[] from = search.space().encode(parent.params());
		SplittableRandom random = search.random();
		for (int tries = 0; tries < Search.MAX_TRIES; tries++) {
			double scale = step.size() * Math.pow(1.5, tries / TRIES_PER_WIDENING);
			Map<String, Object> params = search.space().decode(mutate(search.space(), from, Math.min(scale, 1.0), random));
			if (search.admits(params)) {
				return new Candidate(params, question(search, parent, params),
						"(1+λ) evolution around " + parent.label() + ": step " + Wording.number(scale)
								+ " of each range after " + search.runsWithObjective() + " runs with an objective, "
								+ step.successes() + " of them a new best.",
						Wording.expectation(search.context()));
			}
		}
		return null;
	}

	/** One parameter, drawn at random, moved: a Gaussian step for a number, reflected at the ends; another value for a choice. */
	static double[] mutate(SearchSpace space, double[] from, double step, SplittableRandom random) {
		double[] child = from.clone();
		int i = random.nextInt(child.length);
		Dimension dimension = space.get(i);
		if (dimension.isChoice()) {
			if (dimension.choices() > 1) {
				int other = random.nextInt(dimension.choices() - 1);
				child[i] = other >= from[i] ? other + 1 : other;
			}
			return child;
		}
		double x = from[i] + step * dimension.width() * Search.gaussian(random);
		if (x < dimension.low()) {
			x = 2 * dimension.low() - x;
		}
		if (x > dimension.high()) {
			x = 2 * dimension.high() - x;
		}
		child[i] = Math.max(dimension.low(), Math.min(dimension.high(), x));
		return child;
	}

	/** The step size after replaying the 1/5 rule over the runs, and how many of them were a new best. */
	static Step step(List<Trial> trials) {
		double size = INITIAL_STEP;
		Double incumbent = null;
		int successes = 0;
		for (Trial trial : trials) {
			if (trial.failed()) {
				size *= SHRINK;
			}
			else if (incumbent == null || trial.loss() < incumbent) {
				if (incumbent != null) {
					size *= GROW;
					successes++;
				}
				incumbent = trial.loss();
			}
			else {
				size *= SHRINK;
			}
			size = Math.max(MIN_STEP, Math.min(MAX_STEP, size));
		}
		return new Step(size, successes);
	}

	private static Parent parent(Search search) {
		RunSummary best = search.context().best();
		if (best != null && best.params() != null) {
			return new Parent(search.space().complete(Map.of(), best.params()), "best run " + best.id()
					+ (best.objective() == null ? "" : " (" + Wording.number(best.objective()) + ")"));
		}
		RunSummary baseline = search.context().baseline();
		if (baseline != null && baseline.params() != null) {
			return new Parent(search.space().complete(Map.of(), baseline.params()), "the baseline (run " + baseline.id() + ")");
		}
		return new Parent(search.space().complete(Map.of(), Map.of()), "the defaults");
	}

	private static String question(Search search, Parent parent, Map<String, Object> params) {
		List<String> names = Wording.changes(search.space(), params, parent.params());
		List<String> moves = new ArrayList<>();
		for (String name : names.subList(0, Math.min(Wording.NAMED_PARAMETERS, names.size()))) {
			moves.add(name + " " + Wording.value(parent.params().get(name)) + "→" + Wording.value(params.get(name)));
		}
		String more = names.size() > Wording.NAMED_PARAMETERS
				? " (" + Wording.more(names.size() - Wording.NAMED_PARAMETERS) + ")" : "";
		return "Does moving " + Wording.list(moves) + more + " from " + parent.label() + " improve "
				+ search.context().spec().objective().metric() + "?";
	}

	/** The values children are made from, and how to name them. */
	private record Parent(Map<String, Object> params, String label) {
	}

	/** The step as a share of each range, and the runs that improved on the best before them. */
	record Step(double size, int successes) {
	}
}
