package dev.nightshift.experiments.verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunFinished;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.Verdict;
import dev.nightshift.experiments.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Judges every finished run against the experiment's best (SPEC section 4): the first successful baseline
 * becomes the best; a candidate is kept, confirmed by a replicate, or discarded by {@link VerdictRule}; a KEEP
 * moves the experiment's best, and with it the base of every later proposal.
 * <p>Judging follows {@link RunFinished} through the event publication registry, so a crash or an exception
 * leaves the publication incomplete, to be resubmitted, and the reconciler judges any run left without its
 * verdict. Judgements of one experiment take turns on a row lock of the experiment; a transient database
 * failure (a lost lock, a deadlock) is retried, so two runs finishing at once both get their verdict.
 */
@Service
public class JudgeRun {

	private static final Logger log = LoggerFactory.getLogger(JudgeRun.class);

	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;
	private final ApplicationEventPublisher events;
	private final RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
		.includes(ConcurrencyFailureException.class, TransientDataAccessException.class)
		.maxRetries(8)
		.delay(Duration.ofMillis(20))
		.multiplier(2)
		.maxDelay(Duration.ofSeconds(2))
		.build());

	JudgeRun(RunRepository runs, ExperimentRepository experiments, JdbcClient jdbc, PlatformTransactionManager transactions,
			ApplicationEventPublisher events) {
		this.runs = runs;
		this.experiments = experiments;
		this.jdbc = jdbc;
		// A judgement is a transaction of its own, so that a retry starts afresh whoever calls.
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.events = events;
	}

	/** Every finished run is judged, and {@link RunJudged} says so, whatever the outcome. */
	@Async
	@TransactionalEventListener(id = "judge-run")
	public void on(RunFinished finished) {
		judge(finished.runId(), true);
	}

	/**
	 * Gives a finished run its verdict; idempotent for a run already judged. {@link RunJudged} follows only when
	 * this call gave a verdict.
	 * @return whether it gave one
	 */
	public boolean judge(RunId id) {
		return judge(id, false);
	}

	private boolean judge(RunId id, boolean announceAnyway) {
		return Boolean.TRUE.equals(retry.invoke(() -> transactions.execute(tx -> {
			Experiment experiment = lockExperimentOf(id);
			String before = verdicts(id);
			judgeOnce(experiment, runs.require(id));
			boolean changed = !before.equals(verdicts(id));
			if (changed || announceAnyway) {
				Run run = runs.require(id);
				events.publishEvent(new RunJudged(run.id(), run.experimentId(), run.status(), run.verdict().orElse(null)));
			}
			return changed;
		})));
	}

	/** The verdicts of a run and of the run it replicates, which judging a replicate may settle. */
	private String verdicts(RunId id) {
		runs.flush();
		return jdbc.sql("""
				select coalesce(r.verdict, '-') || '/' || coalesce(o.verdict, '-')
				from run r left join run o on o.id = r.replicate_of where r.id = ?""")
			.param(id.value())
			.query(String.class)
			.optional()
			.orElseThrow(() -> new NotFoundException("run", id));
	}

	/** The experiment's row lock comes first, before any run is read, so what is read after it is current. */
	private Experiment lockExperimentOf(RunId id) {
		long experimentId = jdbc.sql("select experiment_id from run where id = ?").param(id.value()).query(Long.class)
			.optional()
			.orElseThrow(() -> new NotFoundException("run", id));
		return experiments.findAndLockById(experimentId)
			.orElseThrow(() -> new NotFoundException("experiment", experimentId));
	}

	private void judgeOnce(Experiment experiment, Run run) {
		if (run.kind() == RunKind.REPLICATE) {
			judgeReplicate(experiment, run);
			return;
		}
		if (run.status() != RunStatus.SUCCEEDED || run.verdict().isPresent()) {
			return;
		}
		Optional<Run> best = experiment.bestRunId().flatMap(runs::findById);
		if (best.isEmpty()) {
			keep(experiment, run, run.kind() == RunKind.BASELINE ? "the first successful baseline" : "the first success");
			return;
		}
		if (run.kind() == RunKind.BASELINE) {
			return;
		}
		var spec = experiment.spec();
		VerdictRule.Decision decision = VerdictRule.judge(spec.objective().goal(), spec.noise().minDelta(),
				group(best.get()), run.objective().orElseThrow(), sigma(experiment));
		if (decision.verdict() == Verdict.KEEP) {
			keep(experiment, run, decision.reason());
			return;
		}
		run.judge(decision.verdict(), decision.reason());
		runs.save(run);
		if (decision.verdict() == Verdict.CONFIRMING) {
			runs.save(Run.replicate(run));
		}
	}

	private void judgeReplicate(Experiment experiment, Run replicate) {
		Run original = runs.require(replicate.replicateOf().orElseThrow());
		if (original.verdict().orElse(null) != Verdict.CONFIRMING) {
			return;
		}
		if (replicate.status() != RunStatus.SUCCEEDED) {
			original.judge(Verdict.DISCARD, "its replicate run " + replicate.id() + " ended " + replicate.status());
			runs.save(original);
			return;
		}
		Optional<Run> best = experiment.bestRunId().flatMap(runs::findById);
		if (best.isEmpty() || best.get().id().equals(original.id())) {
			return;
		}
		var spec = experiment.spec();
		List<Double> replicates = jdbc.sql("select objective from run where replicate_of = ? and status = 'SUCCEEDED' order by id")
			.param(original.id().value())
			.query(Double.class)
			.list();
		VerdictRule.Decision decision = VerdictRule.confirm(spec.objective().goal(), spec.noise().minDelta(),
				group(best.get()), replicates, sigma(experiment));
		replicate.judge(decision.verdict(), decision.reason());
		runs.save(replicate);
		if (decision.verdict() == Verdict.KEEP) {
			keep(experiment, original, decision.reason());
		}
		else {
			original.judge(Verdict.DISCARD, decision.reason());
			runs.save(original);
		}
	}

	private void keep(Experiment experiment, Run run, String reason) {
		run.judge(Verdict.KEEP, reason);
		runs.save(run);
		experiment.keep(run.id(), run.commit().orElse(null));
		experiments.save(experiment);
		log.info("Run {} is the new best of experiment '{}': {}", run.id(), experiment.name(), reason);
	}

	/** The objective values standing for a run: the baseline's replicates for a baseline, else it and its replicates. */
	public List<Double> group(Run run) {
		String sql = run.kind() == RunKind.BASELINE
				? "select objective from run where experiment_id = :experiment and kind = 'BASELINE' and status = 'SUCCEEDED' order by id"
				: "select objective from run where (id = :run or replicate_of = :run) and status = 'SUCCEEDED' order by id";
		return jdbc.sql(sql)
			.param("experiment", run.experimentId().value())
			.param("run", run.id().value())
			.query(Double.class)
			.list();
	}

	/**
	 * The noise of one run, pooled over the baseline's replicates and every replicated candidate; null while no
	 * group of two or more has run.
	 */
	public VerdictRule.Noise sigma(Experiment experiment) {
		Map<Long, List<Double>> groups = new LinkedHashMap<>();
		jdbc.sql("""
				select case when kind = 'BASELINE' then 0 else coalesce(replicate_of, id) end as grp, objective
				from run
				where experiment_id = :experiment and status = 'SUCCEEDED'
				  and (kind = 'BASELINE' or replicate_of is not null
				       or id in (select replicate_of from run where experiment_id = :experiment and replicate_of is not null))
				""")
			.param("experiment", experiment.id().value())
			.query((rs, row) -> {
				groups.computeIfAbsent(rs.getLong("grp"), key -> new ArrayList<>()).add(rs.getDouble("objective"));
				return null;
			})
			.list();
		return VerdictRule.pooledNoise(new ArrayList<>(groups.values()));
	}
}
