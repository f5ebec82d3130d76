package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.nightshift.agent.RunSummary;

/**
 * {@code strategy:tpe}: a Tree-structured Parzen Estimator after Optuna's {@code TPESampler}. Until
 * {@value #STARTUP_TRIALS} runs have an objective it draws uniformly; then it splits the runs at the gamma
 * quantile ({@code min(ceil(0.1 n), 25)} best are "good", the rest and every failed run "bad"), fits a Parzen
 * density to each group (see {@link ParzenEstimator}), draws {@value #CANDIDATES} candidates from the good
 * density l and proposes the one with the largest l(x)/g(x).
 * <p>
 * Proposals that have not run yet (pending ones and those made earlier in the same call) count as bad
 * ("constant liar"), so a loop that keeps several proposals ready gets different ones.
 * <p>
 * A model-based pick moves several parameters at once: an exploration, evidence about a region only. In
 * {@value #ONE_FACTOR_SHARE_PERCENT} % of picks, once there is a best run, TPE tests one factor instead: the
 * parameter its pick moves most takes the picked value on the best run's other values, so the run isolates
 * that factor and answers a one-factor question.
 * <p>
 * By default the parameters are modelled jointly (one kernel covers every parameter, as Optuna's
 * {@code multivariate=True}, so interactions such as learning rate with width are kept) while each kernel's
 * width per parameter follows the gaps to its neighbours (as Optuna's univariate TPE). Compared on Branin,
 * Hartmann-6 and a noisy four-parameter loss (50 and 100 runs, 20 seeds each) with both of Optuna's modes as
 * rebuilt here, that mix did best on Hartmann-6 and the noisy loss and about as well as the univariate mode on
 * Branin; the package-private constructor keeps both modes for such comparisons.
 */
public final class TreeParzenEstimator extends SearchStrategy {

	/** Runs with an objective needed before the model is used; uniform draws until then. */
	public static final int STARTUP_TRIALS = 10;

	/** Candidates drawn from l for each proposal. */
	public static final int CANDIDATES = 24;

	/** At most this many runs are "good", however long the history. */
	static final int MAX_GOOD = 25;

	private static final int ROUNDS = 20;

	/** The share of model-based picks turned into a one-factor test around the best, in percent. */
	static final int ONE_FACTOR_SHARE_PERCENT = 35;

	private final int startupTrials;
	private final int candidates;
	private final boolean multivariate;
	private final ParzenEstimator.Bandwidth bandwidth;

	public TreeParzenEstimator() {
		this(STARTUP_TRIALS, CANDIDATES, true, ParzenEstimator.Bandwidth.NEIGHBOUR_GAPS);
	}

	/**
	 * @param multivariate model the parameters jointly rather than one density per parameter
	 * @param bandwidth    how wide each kernel is
	 */
	TreeParzenEstimator(int startupTrials, int candidates, boolean multivariate, ParzenEstimator.Bandwidth bandwidth) {
		super("tpe");
		this.startupTrials = startupTrials;
		this.candidates = candidates;
		this.multivariate = multivariate;
		this.bandwidth = bandwidth;
	}

	@Override
	Candidate next(Search search) {
		int complete = search.runsWithObjective();
		if (complete < startupTrials) {
			Map<String, Object> params = search.uniformDraw();
			return params == null ? null : new Candidate(params, Wording.question(search, params),
					"TPE startup: uniform draw with " + complete + " of " + startupTrials
							+ " runs needed before the model is fitted; " + Wording.bestSoFar(search.context()) + ".",
					Wording.expectation(search.context()));
		}
		int good = goodCount(complete);
		List<double[]> below = new ArrayList<>();
		List<double[]> above = new ArrayList<>();
		split(search.trials(), good, below, above);
		above.addAll(search.awaitingResults());
		List<Model> models = fit(search.space(), below, above);
		for (int round = 0; round < ROUNDS; round++) {
			List<Scored> scored = candidates(models, search.space().size(), search.random());
			scored.sort(Comparator.comparingDouble(Scored::score).reversed());
			for (Scored candidate : scored) {
				Map<String, Object> params = search.space().decode(candidate.point());
				Candidate oneFactor = search.random().nextInt(100) < ONE_FACTOR_SHARE_PERCENT
						? oneFactor(search, params, candidate.score()) : null;
				if (oneFactor != null) {
					return oneFactor;
				}
				if (search.admits(params)) {
					return new Candidate(params, Wording.question(search, params),
							"TPE: l(x)/g(x)=" + ratio(candidate.score()) + " after " + search.trials().size() + " runs ("
									+ good + " good, " + above.size() + " other); "
									+ Wording.bestSoFar(search.context()) + ".",
							Wording.expectation(search.context()));
				}
			}
		}
		Map<String, Object> params = search.uniformDraw();
		return params == null ? null : new Candidate(params, Wording.question(search, params),
				"TPE: every candidate the model preferred was tried before, so a uniform draw instead, after "
						+ search.trials().size() + " runs; " + Wording.bestSoFar(search.context()) + ".",
				Wording.expectation(search.context()));
	}

	/**
	 * The pick's largest move alone, on the best run's values: a one-factor test; null before there is a best,
	 * or when those values were tried.
	 */
	private static Candidate oneFactor(Search search, Map<String, Object> pick, double score) {
		RunSummary best = search.context().best();
		List<String> moved = Wording.changesFromBest(search, pick);
		if (best == null || best.params() == null || moved.isEmpty()) {
			return null;
		}
		String name = moved.get(0);
		Map<String, Object> params = new LinkedHashMap<>(search.space().complete(Map.of(), best.params()));
		params.put(name, pick.get(name));
		if (!search.admits(params)) {
			return null;
		}
		return new Candidate(params, Wording.question(search, params),
				"TPE, one factor: its pick (l(x)/g(x)=" + ratio(score) + ") moves " + name + " most, so " + name
						+ " alone takes the picked value on best run " + best.id() + "'s other values, and the run"
						+ " tells what " + name + " does; after " + search.trials().size() + " runs; "
						+ Wording.bestSoFar(search.context()) + ".",
				Wording.expectation(search.context()));
	}

	/** Optuna's default gamma: the best 10 %, rounded up, at most 25. */
	static int goodCount(int complete) {
		return Math.max(1, Math.min((int) Math.ceil(0.1 * complete), MAX_GOOD));
	}

	/** The best {@code good} runs by loss into {@code below}, the others into {@code above}, oldest first. */
	static void split(List<Trial> trials, int good, List<double[]> below, List<double[]> above) {
		List<Integer> ranked = new ArrayList<>();
		for (int i = 0; i < trials.size(); i++) {
			if (!trials.get(i).failed()) {
				ranked.add(i);
			}
		}
		// A stable sort: among equal losses the older run is the better one, as in Optuna.
		ranked.sort(Comparator.comparingDouble(i -> trials.get(i).loss()));
		boolean[] isGood = new boolean[trials.size()];
		for (int i = 0; i < Math.min(good, ranked.size()); i++) {
			isGood[ranked.get(i)] = true;
		}
		for (int i = 0; i < trials.size(); i++) {
			(isGood[i] ? below : above).add(trials.get(i).point());
		}
	}

	private List<Model> fit(SearchSpace space, List<double[]> below, List<double[]> above) {
		List<Model> models = new ArrayList<>();
		if (multivariate) {
			int[] all = new int[space.size()];
			for (int i = 0; i < all.length; i++) {
				all[i] = i;
			}
			models.add(new Model(ParzenEstimator.fit(space, all, below, bandwidth),
					ParzenEstimator.fit(space, all, above, bandwidth)));
		}
		else {
			for (int i = 0; i < space.size(); i++) {
				int[] one = {i};
				models.add(new Model(ParzenEstimator.fit(space, one, below, bandwidth),
						ParzenEstimator.fit(space, one, above, bandwidth)));
			}
		}
		return models;
	}

	/**
	 * Jointly: {@code candidates} points from l, each scored. One density per parameter: each parameter takes
	 * the best of its own {@code candidates} draws, and the scores add up (a product of ratios).
	 */
	private List<Scored> candidates(List<Model> models, int dimensions, SplittableRandom random) {
		List<Scored> scored = new ArrayList<>();
		if (multivariate) {
			Model model = models.get(0);
			for (int c = 0; c < candidates; c++) {
				double[] point = new double[dimensions];
				model.good().sample(random, point);
				scored.add(new Scored(point, model.score(point)));
			}
			return scored;
		}
		double[] point = new double[dimensions];
		double total = 0;
		for (int i = 0; i < models.size(); i++) {
			Model model = models.get(i);
			double[] draw = new double[dimensions];
			double best = Double.NEGATIVE_INFINITY;
			for (int c = 0; c < candidates; c++) {
				model.good().sample(random, draw);
				double score = model.score(draw);
				if (c == 0 || score > best) {
					best = score;
					point[i] = draw[i];
				}
			}
			total += best;
		}
		scored.add(new Scored(point, total));
		return scored;
	}

	private static String ratio(double logRatio) {
		// Joint densities in many dimensions give ratios too large to print usefully as plain numbers.
		return logRatio < 40 ? Wording.number(Math.exp(logRatio)) : "e^" + Wording.number(logRatio);
	}

	/** The good and bad densities of some coordinates. */
	private record Model(ParzenEstimator good, ParzenEstimator bad) {

		double score(double[] point) {
			return good.logDensity(point) - bad.logDensity(point);
		}
	}

	private record Scored(double[] point, double score) {
	}
}
