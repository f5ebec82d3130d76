package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.nightshift.agent.ResearchContext;

/**
 * The state of one {@code propose} call: the context, the space, the values already known, the random
 * source and what this call proposed so far.
 * <p>
 * The random source is seeded from the context's seed, the strategy's name and the sizes of the history,
 * the pending list and the vetoes: the same context and seed give the same proposals, while a loop that
 * passes one fixed seed still gets fresh draws as its history grows.
 */
final class Search {

	/** How many candidates may be drawn for one proposal before the strategy gives up on it. */
	static final int MAX_TRIES = 500;

	private final ResearchContext context;
	private final SearchSpace space;
	private final KnownParams known;
	private final SplittableRandom random;
	private final List<Trial> trials;
	private final List<double[]> proposedHere = new ArrayList<>();
	private final List<double[]> pending = new ArrayList<>();

	Search(ResearchContext context, String strategy) {
		this.context = context;
		this.space = new SearchSpace(context.spec());
		this.known = KnownParams.of(space, context);
		this.random = new SplittableRandom(seed(context, strategy));
		this.trials = Trial.history(context, space);
		Map<String, Object> base = context.best() == null || context.best().params() == null ? Map.of()
				: context.best().params();
		if (context.pending() != null) {
			for (ResearchContext.PendingProposal proposal : context.pending()) {
				pending.add(space.encode(space.complete(base, proposal.params() == null ? Map.of() : proposal.params())));
			}
		}
	}

	static long seed(ResearchContext context, String strategy) {
		long seed = context.seed();
		seed = 31 * seed + strategy.hashCode();
		seed = 31 * seed + (context.history() == null ? 0 : context.history().size());
		seed = 31 * seed + (context.pending() == null ? 0 : context.pending().size());
		return 31 * seed + (context.vetoes() == null ? 0 : context.vetoes().size());
	}

	ResearchContext context() {
		return context;
	}

	SearchSpace space() {
		return space;
	}

	SplittableRandom random() {
		return random;
	}

	/** Finished runs, oldest first. */
	List<Trial> trials() {
		return trials;
	}

	/** Points proposed but without a result yet: pending proposals and this call's own. */
	List<double[]> awaitingResults() {
		List<double[]> points = new ArrayList<>(pending);
		points.addAll(proposedHere);
		return points;
	}

	/** Whether full values may be proposed (see {@link KnownParams}). */
	boolean admits(Map<String, Object> params) {
		return known.admits(params);
	}

	void proposed(Map<String, Object> params) {
		known.add(params);
		proposedHere.add(space.encode(params));
	}

	/** New values drawn uniformly from the space, or null when {@link #MAX_TRIES} draws were all known. */
	Map<String, Object> uniformDraw() {
		for (int i = 0; i < MAX_TRIES; i++) {
			Map<String, Object> params = space.decode(space.sample(random));
			if (admits(params)) {
				return params;
			}
		}
		return null;
	}

	/** The runs that count, for rationales. */
	int runsWithObjective() {
		int count = 0;
		for (Trial trial : trials) {
			if (!trial.failed()) {
				count++;
			}
		}
		return count;
	}

	/** A standard normal draw (Box-Muller): SplittableRandom has no nextGaussian in Java 17. */
	static double gaussian(SplittableRandom random) {
		double u = 1.0 - random.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
	}
}
