package dev.nightshift.agent.loop;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.importance.ParameterImportance;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionKind;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.verdict.JudgeRun;
import dev.nightshift.experiments.verdict.RunJudged;
import dev.nightshift.experiments.verdict.VerdictRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers open questions from their evidence, without any LLM, after every judged run and at every loop step:
 * <ul>
 * <li>SUPPORTED when a run studying it was kept (any kind of question);</li>
 * <li>for a one-factor question only, from its <em>attributable</em> runs, those that varied exactly its factors
 * against their base: once {@code deadEndRuns} of them finished with none kept or being confirmed and nothing of
 * the question waiting, REFUTED when every one that succeeded is worse than its base beyond the noise, DEAD_END
 * otherwise;</li>
 * <li>an exploration (several factors at once) is never a dead end for a factor: it stays open until a KEEP
 * answers it, or, when a strategy opened it and the best has moved on since, it is closed ABANDONED with what its
 * draws found;</li>
 * <li>a one-factor question with fewer attributable runs, all finished and none kept, is a DEAD_END too when a
 * trustworthy importance estimate says its factor does not matter in the region tried ({@link #unimportant});</li>
 * <li>the baseline's question is SUPPORTED once its replicates have all ended, with their mean and spread.</li>
 * </ul>
 * Every conclusion lists its evidence: run ids, each run's delta against its base and the noise margin.
 * Judgements of an experiment and its answers take turns on the experiment's row lock, so two runs judged at
 * once never close a question twice; the work is idempotent, so {@link UnansweredQuestions} repairs a lost one.
 */
@Component
public class QuestionAnswers {

	private static final Logger log = LoggerFactory.getLogger(QuestionAnswers.class);

	/** Below this share of importance and of variance a factor does not matter, for {@link #unimportant}. */
	static final double UNIMPORTANT = 0.01;

	/** The least out-of-bag R² an importance estimate needs before {@link #unimportant} believes it. */
	static final double EXPLAINED = 0.7;

	private final JdbcClient jdbc;
	private final QuestionRepository questions;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final JudgeRun judge;
	private final LoopProperties properties;
	private final TransactionTemplate transactions;
	private final ParameterImportance importances;

	QuestionAnswers(JdbcClient jdbc, QuestionRepository questions, ExperimentRepository experiments, RunRepository runs,
			JudgeRun judge, LoopProperties properties, PlatformTransactionManager transactions,
			ParameterImportance importances) {
		this.importances = importances;
		this.jdbc = jdbc;
		this.questions = questions;
		this.experiments = experiments;
		this.runs = runs;
		this.judge = judge;
		this.properties = properties;
		this.transactions = new TransactionTemplate(transactions);
	}

	/** A run of a question as evidence: what it varied against which base, and what came of it. */
	record Evidence(long question, QuestionKind kind, List<String> factors, String createdBy, long run, String status,
			String verdict, String verdictReason, Double objective, List<String> varied, Long baseRun) {

		boolean finished() {
			return !Set.of("QUEUED", "STARTING", "RUNNING").contains(status);
		}

		boolean isolates() {
			return varied != null && new HashSet<>(varied).equals(new HashSet<>(factors));
		}
	}

	/** A run's effect against its base: objective minus the base's mean, and the margin the noise asks for. */
	record Effect(Evidence run, Double baseMean, double improvement, double margin) {
	}

	/** Every judged run may answer its question, in or out of a loop. */
	@Async
	@TransactionalEventListener(id = "answer-questions")
	public void on(RunJudged judged) {
		close(judged.experimentId());
	}

	/** Closes every open question of the experiment its evidence answers; returns how many. */
	public int close(ExperimentId experimentId) {
		// Fitted (when a run was judged since the last fit) before the experiment's row is locked, so that judging
		// never waits on the forest.
		Importance importance = importances.of(experimentId);
		Integer closed = transactions.execute(tx -> {
			Experiment experiment = experiments.findAndLockById(experimentId.value()).orElse(null);
			if (experiment == null) {
				return 0;
			}
			Map<Long, List<Evidence>> open = evidence(experimentId);
			Set<Long> waiting = waiting(experimentId);
			int count = baseline(experiment) ? 1 : 0;
			for (Map.Entry<Long, List<Evidence>> question : open.entrySet()) {
				Optional<Answer> answer = answer(experiment, question.getValue(), waiting.contains(question.getKey()),
						importance);
				if (answer.isPresent()) {
					Question q = questions.require(new QuestionId(question.getKey()));
					q.close(answer.get().status(), answer.get().conclusion(), "system");
					questions.save(q);
					log.info("Question {} of experiment {} closed {}: {}", q.id(), experimentId, answer.get().status(),
							answer.get().conclusion());
					count++;
				}
			}
			return count;
		});
		return closed == null ? 0 : closed;
	}

	/** Answers the baseline's question once none of its runs is to come and one succeeded; whether it did. */
	private boolean baseline(Experiment experiment) {
		List<Long> question = jdbc.sql("""
				select q.id from question q
				where q.experiment_id = :e and q.status = 'OPEN' and q.text = :text
				  and exists (select 1 from proposal p join run r on r.proposal_id = p.id
				              where p.question_id = q.id and r.kind = 'BASELINE' and r.status = 'SUCCEEDED')
				  and not exists (select 1 from proposal p left join run r on r.proposal_id = p.id
				                  where p.question_id = q.id and (p.status in ('PROPOSED', 'APPROVED')
				                        or r.status in ('QUEUED', 'STARTING', 'RUNNING')))""")
			.param("e", experiment.id().value())
			.param("text", SubmitProposal.BASELINE_QUESTION)
			.query(Long.class)
			.list();
		if (question.isEmpty()) {
			return false;
		}
		List<Double> values = jdbc.sql("""
				select r.objective from run r join proposal p on p.id = r.proposal_id
				where p.question_id = ? and r.kind = 'BASELINE' and r.status = 'SUCCEEDED' order by r.id""")
			.param(question.get(0))
			.query(Double.class)
			.list();
		VerdictRule.Noise noise = VerdictRule.pooledNoise(List.of(values));
		String conclusion = experiment.spec().objective().metric() + " "
				+ number(values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()) + " on average over "
				+ values.size() + " successful run(s) of the unmodified code at its defaults"
				+ (noise == null ? "; one run measures no noise" : ", σ " + number(noise.sigma()) + " between them");
		Question q = questions.require(new QuestionId(question.get(0)));
		q.close(QuestionStatus.SUPPORTED, conclusion, "system");
		questions.save(q);
		return true;
	}

	/** A closing status and its conclusion. */
	record Answer(QuestionStatus status, String conclusion) {
	}

	private Optional<Answer> answer(Experiment experiment, List<Evidence> evidence, boolean waiting,
			Importance importance) {
		Evidence first = evidence.get(0);
		Optional<Evidence> kept = evidence.stream().filter(run -> "KEEP".equals(run.verdict())).findFirst();
		if (kept.isPresent()) {
			return Optional.of(new Answer(QuestionStatus.SUPPORTED, supported(experiment, kept.get())));
		}
		boolean confirming = evidence.stream().anyMatch(run -> "CONFIRMING".equals(run.verdict()));
		if (waiting || confirming || evidence.stream().anyMatch(run -> !run.finished())) {
			return Optional.empty();
		}
		if (first.kind() == QuestionKind.EXPLORATION) {
			return superseded(experiment, evidence);
		}
		List<Evidence> attributable = evidence.stream().filter(Evidence::isolates).toList();
		if (attributable.size() >= properties.deadEndRuns()) {
			List<Effect> effects = effects(experiment, attributable);
			List<Effect> succeeded = effects.stream().filter(effect -> effect.baseMean() != null).toList();
			boolean noiseMeasured = judge.sigma(experiment) != null;
			boolean worse = noiseMeasured && !succeeded.isEmpty()
					&& succeeded.stream().allMatch(effect -> effect.improvement() < -effect.margin());
			return Optional.of(worse
					? new Answer(QuestionStatus.REFUTED, attributable.size() + " one-factor runs varying "
							+ String.join(", ", first.factors()) + ", each that succeeded worse than its base beyond the noise: "
							+ list(experiment, effects))
					: new Answer(QuestionStatus.DEAD_END, attributable.size() + " one-factor runs varying "
							+ String.join(", ", first.factors()) + ", none better than its base beyond the noise: "
							+ list(experiment, effects)));
		}
		if (attributable.isEmpty()) {
			return Optional.empty();
		}
		return unimportant(importance, first.factors()).map(reason -> new Answer(QuestionStatus.DEAD_END,
				reason + "; runs: " + list(experiment, effects(experiment, evidence))));
	}

	/**
	 * What a fitted importance model says about {@code factors}: a reason such as "lr explains <1% of what the
	 * parameters explain (0.3% of the variance) in the region tried, by an estimate on 40 runs that explains 92%
	 * of the variation" when the estimate is trustworthy, explains most of the variation between runs
	 * ({@value #EXPLAINED} at least: below it the differences look like noise or code changes, which says nothing
	 * about a factor), and every factor is a parameter the runs varied whose importance and variance share are
	 * both under {@value #UNIMPORTANT}. That justifies a DEAD_END for a one-factor question with at least one
	 * attributable run but fewer than {@code deadEndRuns} (all finished, none better); empty otherwise.
	 */
	Optional<String> unimportant(Importance importance, List<String> factors) {
		if (factors == null || factors.isEmpty()) {
			return Optional.empty();
		}
		if (!importance.trustworthy() || importance.explained() < EXPLAINED) {
			return Optional.empty();
		}
		List<String> reasons = new ArrayList<>();
		for (String factor : factors) {
			Optional<Importance.ParameterEffect> effect = importance.of(factor);
			if (effect.isEmpty() || !effect.get().varied() || effect.get().importance() >= UNIMPORTANT
					|| effect.get().varianceShare() >= UNIMPORTANT) {
				return Optional.empty();
			}
			reasons.add(String.format(java.util.Locale.ROOT, "%s explains %s of what the parameters explain (%.1f%% of"
					+ " the variance)", factor, effect.get().percent(), 100 * effect.get().varianceShare()));
		}
		return Optional.of(String.join("; ", reasons) + String.format(java.util.Locale.ROOT, " in the region tried,"
				+ " by an importance estimate on %d runs that explains %.0f%% of the variation between them",
				importance.runsUsed(), 100 * importance.explained()));
	}

	/**
	 * An exploration a strategy opened whose draws are all done, none kept, while the best has moved on since it
	 * was opened: nobody adds to it any more (a strategy words the next one after the new best).
	 */
	private Optional<Answer> superseded(Experiment experiment, List<Evidence> evidence) {
		Evidence first = evidence.get(0);
		if (first.createdBy() == null || !first.createdBy().startsWith("strategy:")) {
			return Optional.empty();
		}
		boolean moved = jdbc.sql("""
				select exists (select 1 from question q join experiment e on e.id = q.experiment_id
				               join run b on b.id = e.best_run_id
				               where q.id = ? and b.finished_at > q.created_at)""")
			.param(first.question())
			.query(Boolean.class)
			.single();
		return moved ? Optional.of(new Answer(QuestionStatus.ABANDONED, "An exploration, superseded: the best moved on"
				+ " and its " + evidence.size() + " draws (several factors at once, so no evidence about any one of them)"
				+ " found nothing kept: " + list(experiment, effects(experiment, evidence)))) : Optional.empty();
	}

	private String supported(Experiment experiment, Evidence kept) {
		Effect effect = effects(experiment, List.of(kept)).get(0);
		String varied = kept.varied() == null || kept.varied().isEmpty() ? "" : "; it varied " + String.join(", ", kept.varied());
		return "Supported by run " + kept.run() + ", kept: " + describe(experiment, effect) + " (verdict: "
				+ kept.verdictReason() + ")" + varied;
	}

	private List<Effect> effects(Experiment experiment, List<Evidence> evidence) {
		VerdictRule.Noise noise = judge.sigma(experiment);
		double minDelta = experiment.spec().noise().minDelta();
		var goal = experiment.spec().objective().goal();
		List<Effect> effects = new ArrayList<>();
		for (Evidence run : evidence) {
			List<Double> base = run.baseRun() == null ? List.of()
					: runs.findById(run.baseRun()).map(judge::group).orElse(List.of());
			if (run.objective() == null || base.isEmpty()) {
				effects.add(new Effect(run, null, 0, 0));
				continue;
			}
			double mean = base.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
			effects.add(new Effect(run, mean, VerdictRule.improvement(goal, mean, run.objective()),
					VerdictRule.margin(minDelta, noise, base.size())));
		}
		return effects;
	}

	private static String list(Experiment experiment, List<Effect> effects) {
		List<String> parts = new ArrayList<>();
		for (Effect effect : effects) {
			parts.add("run " + effect.run().run() + " " + describe(experiment, effect));
		}
		return String.join("; ", parts);
	}

	/** "val_loss 1.95 (+0.0200 vs 1.93 of base run 12, noise margin 0.0210)", or the outcome of a failure. */
	private static String describe(Experiment experiment, Effect effect) {
		Evidence run = effect.run();
		if (run.objective() == null) {
			return run.status();
		}
		String metric = experiment.spec().objective().metric() + " " + number(run.objective());
		if (effect.baseMean() == null) {
			return metric + " (no base recorded)";
		}
		return metric + " (" + String.format(java.util.Locale.ROOT, "%+.4g", run.objective() - effect.baseMean())
				+ " vs " + number(effect.baseMean()) + " of base run " + run.baseRun() + ", noise margin "
				+ number(effect.margin()) + ")";
	}

	private static String number(double value) {
		return String.format(java.util.Locale.ROOT, "%.4g", value);
	}

	/** The open questions with proposal runs, each with its runs in order. */
	private Map<Long, List<Evidence>> evidence(ExperimentId experiment) {
		Map<Long, List<Evidence>> byQuestion = new LinkedHashMap<>();
		jdbc.sql("""
				select q.id as question, q.kind, q.factors, q.created_by, r.id as run, r.status, r.verdict,
				       r.verdict_reason, r.objective, r.varied, r.base_run_id
				from question q
				join proposal p on p.question_id = q.id
				join run r on r.proposal_id = p.id and r.kind = 'PROPOSAL'
				where q.experiment_id = ? and q.status = 'OPEN'
				order by q.id, r.id""")
			.param(experiment.value())
			.query((rs, row) -> new Evidence(rs.getLong("question"), QuestionKind.valueOf(rs.getString("kind")),
					strings(rs, "factors"), rs.getString("created_by"), rs.getLong("run"), rs.getString("status"),
					rs.getString("verdict"), rs.getString("verdict_reason"),
					rs.getObject("objective") == null ? null : rs.getDouble("objective"), strings(rs, "varied"),
					rs.getObject("base_run_id") == null ? null : rs.getLong("base_run_id")))
			.list()
			.forEach(evidence -> byQuestion.computeIfAbsent(evidence.question(), id -> new ArrayList<>()).add(evidence));
		return byQuestion;
	}

	/** Open questions with work still to come: a proposal waiting for a decision or a run, or a replicate to run. */
	private Set<Long> waiting(ExperimentId experiment) {
		return new HashSet<>(jdbc.sql("""
				select distinct p.question_id from proposal p
				where p.experiment_id = :e and p.question_id is not null
				  and (p.status in ('PROPOSED', 'APPROVED')
				       or exists (select 1 from run r where r.proposal_id = p.id
				                  and r.status in ('QUEUED', 'STARTING', 'RUNNING')))""")
			.param("e", experiment.value())
			.query(Long.class)
			.list());
	}

	private static List<String> strings(ResultSet rs, String column) throws SQLException {
		Array array = rs.getArray(column);
		return array == null ? null : Arrays.asList((String[]) array.getArray());
	}
}
