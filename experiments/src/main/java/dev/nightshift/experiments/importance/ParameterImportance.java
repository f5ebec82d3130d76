package dev.nightshift.experiments.importance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.importance.Importance.ParameterEffect;
import dev.nightshift.experiments.shared.JsonMapConverter;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.verdict.RunJudged;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Parameter importance per experiment: a random forest fitted on the newest successful runs (at most
 * {@code nightshift.importance.max-runs}) and its functional ANOVA, as optuna-dashboard shows. One estimate is
 * kept per experiment and thrown away when one of its runs is judged, so it is recomputed, once, when next asked
 * for; a request never fits more than the cap, however long the history.
 */
@Service
public class ParameterImportance {

	private static final JsonMapConverter PARAMS = new JsonMapConverter();

	private static final long SEED = 20141127L;

	/** Below this share of the objective's variation explained, the note warns that the numbers mean little. */
	private static final double LITTLE_EXPLAINED = 0.2;

	private record Cached(long generation, Importance importance) {
	}

	private final ExperimentRepository experiments;
	private final JdbcClient jdbc;
	private final ImportanceProperties properties;
	private final Map<Long, Long> generations = new ConcurrentHashMap<>();
	private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

	ParameterImportance(ExperimentRepository experiments, JdbcClient jdbc, ImportanceProperties properties) {
		this.experiments = experiments;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The importance of every parameter of the experiment, from its newest successful runs; computed at most
	 * once between two finished runs.
	 *
	 * @throws NotFoundException when there is no such experiment
	 */
	public Importance of(ExperimentId experimentId) {
		long id = experimentId.value();
		long generation = generations.getOrDefault(id, 0L);
		Cached cached = cache.get(id);
		if (cached != null && cached.generation() == generation) {
			return cached.importance();
		}
		Importance fresh = estimate(experimentId);
		// A run judged meanwhile moved the generation on: the estimate is kept only if nothing newer is.
		cache.merge(id, new Cached(generation, fresh), (old, now) -> now.generation() >= old.generation() ? now : old);
		return fresh;
	}

	/** A judged run changes what the runs say; the next request estimates afresh. */
	@TransactionalEventListener(id = "importance-outdated", phase = TransactionPhase.AFTER_COMMIT)
	void on(RunJudged judged) {
		generations.merge(judged.experimentId().value(), 1L, Long::sum);
	}

	private Importance estimate(ExperimentId experimentId) {
		ExperimentSpec spec = experiments.require(experimentId).spec();
		List<Observations.Row> rows = jdbc.sql("""
				select params, objective from run
				where experiment_id = ? and status = 'SUCCEEDED' and objective is not null
				order by id desc limit ?""")
			.params(experimentId.value(), properties.maxRuns() + 1)
			.query((rs, n) -> new Observations.Row(PARAMS.convertToEntityAttribute(rs.getString(1)), rs.getDouble(2)))
			.list();
		boolean capped = rows.size() > properties.maxRuns();
		List<Observations.Row> used = capped ? rows.subList(0, properties.maxRuns()) : rows;
		return estimate(experimentId, spec, used, capped);
	}

	private Importance estimate(ExperimentId experimentId, ExperimentSpec spec, List<Observations.Row> rows,
			boolean capped) {
		int needed = Importance.runsNeeded(spec.parameters().size());
		boolean trustworthy = rows.size() >= needed;
		List<String> names = new ArrayList<>(spec.parameters().keySet());
		if (names.isEmpty() || rows.size() < 2) {
			String why = names.isEmpty() ? "The experiment has no parameters."
					: "Needs at least 2 successful runs; there " + (rows.size() == 1 ? "is 1." : "are none.");
			return new Importance(experimentId, rows.size(), capped, needed, false, 0, why, zeros(names));
		}
		Observations table = new Observations(spec.parameters(), rows);
		ImportanceForest.Estimate estimate = new ImportanceForest(properties.trees(), 2, SEED)
			.estimate(table.factors, table.x, table.y);
		double total = ImportanceForest.sum(estimate.shares());
		List<ParameterEffect> effects = new ArrayList<>();
		for (int f = 0; f < names.size(); f++) {
			double share = estimate.shares()[f];
			effects.add(new ParameterEffect(names.get(f), total > 0 ? share / total : 0, share, table.varied[f]));
		}
		effects.sort(Comparator.comparingDouble(ParameterEffect::importance).reversed());
		double explained = Math.max(0, Math.min(1, estimate.outOfBagR2()));
		return new Importance(experimentId, rows.size(), capped, needed, trustworthy, explained,
				note(rows.size(), capped, needed, total, explained, table), effects);
	}

	private static String note(int runs, boolean capped, int needed, double total, double explained,
			Observations table) {
		StringBuilder note = new StringBuilder("From the ").append(capped ? "newest " : "").append(runs)
			.append(" successful runs");
		if (runs < needed) {
			note.append(": not yet trustworthy, it needs ").append(needed).append(" or more");
		}
		note.append('.');
		if (total <= 0) {
			boolean anyVaried = false;
			for (boolean varied : table.varied) {
				anyVaried |= varied;
			}
			note.append(anyVaried ? " The objective did not change with the parameters: none matters so far."
					: " No parameter was varied yet.");
		}
		else if (explained < LITTLE_EXPLAINED) {
			note.append(" The parameters explain only ").append(Math.round(explained * 100))
				.append("% of how the objective varies between runs; the rest looks like noise or code changes.");
		}
		else {
			note.append(" The parameters explain ").append(Math.round(explained * 100))
				.append("% of how the objective varies between runs.");
		}
		return note.toString();
	}

	private static List<ParameterEffect> zeros(List<String> names) {
		return names.stream().map(name -> new ParameterEffect(name, 0, 0, false)).toList();
	}
}
