package dev.nightshift.agent.context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.Decision;
import dev.nightshift.agent.ResearchContext.PendingProposal;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.importance.ParameterImportance;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds what a proposer is told about an experiment (SPEC section 5) fresh from the database, in four
 * queries whatever the length of the history: the experiment, its runs, its questions, its proposals. They
 * run in one read-only repeatable-read transaction, so every part describes the same moment; the log files of
 * crashed runs are read after it, so no transaction waits on a file.
 * <p>
 * A long history is sampled, never loaded whole: the newest {@value #NEWEST_RUNS} finished runs, the best
 * {@value #BEST_RUNS}, up to {@value #DEAD_END_RUNS} runs of dead ends (so strategies can stay away from
 * them), the best run and the baseline. CANCELLED and LOST runs are left out: they say nothing about their
 * parameters. Deltas are each run's objective minus the newest successful baseline's, or minus the best's when
 * there is no baseline. The parameter importance comes from {@link ParameterImportance}, which keeps one
 * estimate per experiment until a run is judged and reads the runs it needs itself.
 */
@Component
public class ResearchContextBuilder {

	public static final int NEWEST_RUNS = 500;
	public static final int BEST_RUNS = 50;
	public static final int DEAD_END_RUNS = 200;
	public static final int TOP_RUNS = 5;
	public static final int CRASHES = 5;
	public static final int OPEN_QUESTIONS = 50;
	public static final int VETOES = 200;
	public static final int PENDING = 200;

	private static final ExperimentSpecParser SPECS = new ExperimentSpecParser();

	private static final String QUESTIONS = """
			with picked as (
			    (select id from question where experiment_id = :experiment and status in ('DEAD_END', 'REFUTED'))
			    union all
			    (select id from question where experiment_id = :experiment and status = 'OPEN'
			     order by id desc limit :open)
			), evidence as (
			    select p.question_id, count(*) as runs
			    from proposal p join run r on r.proposal_id = p.id
			    where p.experiment_id = :experiment and p.question_id in (select id from picked)
			      and r.status in (:outcomes)
			    group by p.question_id
			)
			select q.id, q.parent_id, q.text, q.status, q.conclusion, coalesce(e.runs, 0) as runs, q.factors, q.kind
			from picked join question q on q.id = picked.id
			left join evidence e on e.question_id = q.id
			order by q.id
			""";

	private static final String PROPOSALS = """
			(select p.id, p.status, p.params, p.patch, q.text as question, p.status_reason
			 from proposal p left join question q on q.id = p.question_id
			 where p.experiment_id = :experiment and p.status in ('VETOED', 'REJECTED')
			 order by p.id desc limit :vetoes)
			union all
			(select p.id, p.status, p.params, p.patch, null, null
			 from proposal p
			 where p.experiment_id = :experiment and p.status in ('PROPOSED', 'APPROVED', 'SCHEDULED')
			 order by p.id desc limit :pending)
			""";

	private final JdbcClient jdbc;
	private final Path runsDirectory;
	private final TransactionTemplate snapshot;
	private final ParameterImportance importance;

	ResearchContextBuilder(JdbcClient jdbc, NightshiftHome home, PlatformTransactionManager transactions,
			ParameterImportance importance) {
		this.jdbc = jdbc;
		this.importance = importance;
		this.runsDirectory = home.runsDirectory();
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setReadOnly(true);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	/**
	 * The context for one proposer call.
	 *
	 * @param runsLeft runs the loop may still start, or null without a limit
	 * @param seed     for the strategies' random draws
	 * @throws NotFoundException when there is no such experiment
	 */
	public ResearchContext build(ExperimentId experimentId, Integer runsLeft, long seed) {
		ResearchContext read = snapshot.execute(tx -> read(experimentId, runsLeft, seed));
		List<RunSummary> crashes = read.crashes().stream()
			.map(run -> new RunSummary(run.id(), run.proposalId(), run.questionId(), run.kind(), run.status(),
					run.params(), run.objective(), run.delta(), run.verdict(), run.diff(), crashExcerpt(run),
					run.finishedAt(), run.varied()))
			.toList();
		// Kept per experiment until a run is judged; outside the snapshot, as it reads its own runs.
		Importance matters = importance.of(experimentId);
		return new ResearchContext(read.experimentId(), read.spec(), read.best(), read.baseline(), read.history(),
				read.topRuns(), read.deadEnds(), read.openQuestions(), read.vetoes(), crashes, read.pending(),
				read.runsLeft(), read.seed(), matters);
	}

	/** Everything but the crash excerpts' log files, read in one snapshot. */
	private ResearchContext read(ExperimentId experimentId, Integer runsLeft, long seed) {
		long id = experimentId.value();
		ExperimentRow experiment = jdbc.sql("select spec, best_run_id from experiment where id = ?")
			.param(id)
			.query((rs, n) -> new ExperimentRow(SPECS.parseJson(rs.getString(1)), rs.getObject(2, Long.class)))
			.optional()
			.orElseThrow(() -> new NotFoundException("experiment", experimentId));
		Goal goal = experiment.spec().objective().goal();
		List<RunRows.Row> rows = RunRows.read(jdbc, id, goal, experiment.bestRunId(),
				new RunRows.Limits(NEWEST_RUNS, BEST_RUNS, DEAD_END_RUNS, CRASHES));

		RunSummary baseline = rows.stream().filter(RunRows.Row::isBaseline).map(RunRows.Row::run).findFirst().orElse(null);
		List<RunSummary> best = rows.stream().filter(RunRows.Row::inBest).map(RunRows.Row::run)
			.sorted(byObjective(goal)).toList();
		RunSummary bestRun = rows.stream().map(RunRows.Row::run)
			.filter(run -> experiment.bestRunId() != null && run.id() == experiment.bestRunId())
			.findFirst().orElse(best.isEmpty() ? null : best.get(0));
		Double reference = baseline != null && finite(baseline.objective()) ? baseline.objective()
				: bestRun == null ? null : bestRun.objective();

		List<RunSummary> history = new ArrayList<>();
		List<RunSummary> crashes = new ArrayList<>();
		for (RunRows.Row row : rows) {
			RunSummary run = RunRows.with(row.run(), reference, row.run().logExcerpt());
			boolean isBestRun = bestRun != null && run.id() == bestRun.id();
			boolean outcome = RunRows.OUTCOMES.contains(run.status());
			if (row.inHistory() || row.inBest() || (isBestRun || row.isBaseline()) && outcome) {
				history.add(run);
			}
			if (row.inCrash()) {
				crashes.add(run);
			}
		}
		List<RunSummary> top = best.subList(0, Math.min(TOP_RUNS, best.size())).stream()
			.map(run -> withDelta(run, reference))
			.toList();
		List<QuestionSummary> questions = questions(id);
		List<QuestionSummary> deadEnds = questions.stream().filter(q -> !q.status().equals("OPEN")).toList();
		List<QuestionSummary> open = questions.stream().filter(q -> q.status().equals("OPEN")).toList();
		List<Decision> vetoes = new ArrayList<>();
		List<PendingProposal> pending = new ArrayList<>();
		proposals(id, vetoes, pending);
		return new ResearchContext(id, experiment.spec(), withDelta(bestRun, reference), withDelta(baseline, reference),
				history, top, deadEnds, open, vetoes, crashes, pending, runsLeft, seed);
	}

	private List<QuestionSummary> questions(long experimentId) {
		return jdbc.sql(QUESTIONS)
			.param("experiment", experimentId)
			.param("open", OPEN_QUESTIONS)
			.param("outcomes", RunRows.OUTCOMES)
			.query((rs, n) -> new QuestionSummary(rs.getLong("id"), rs.getObject("parent_id", Long.class),
					rs.getString("text"), rs.getString("status"), rs.getString("conclusion"), rs.getInt("runs"),
					RunRows.strings(rs, "factors"), rs.getString("kind")))
			.list();
	}

	private void proposals(long experimentId, List<Decision> vetoes, List<PendingProposal> pending) {
		jdbc.sql(PROPOSALS)
			.param("experiment", experimentId)
			.param("vetoes", VETOES)
			.param("pending", PENDING)
			.query(rs -> {
				String status = rs.getString("status");
				Map<String, Object> params = RunRows.params(rs.getString("params"));
				if (status.equals("VETOED") || status.equals("REJECTED")) {
					vetoes.add(new Decision(rs.getLong("id"), status, params, rs.getString("patch"),
							rs.getString("question"), rs.getString("status_reason")));
				}
				else {
					pending.add(new PendingProposal(rs.getLong("id"), status, params, rs.getString("patch")));
				}
			});
	}

	private String crashExcerpt(RunSummary run) {
		return crashExcerpt(run.id(), run.logExcerpt());
	}

	/**
	 * The end of a failed run's log: the error the scheduler recorded, which ends with the log's last lines; when
	 * it holds no log lines (a run lost in a crash, say), the end of the log file instead.
	 *
	 * @param error the run's recorded error, or null
	 */
	public String crashExcerpt(long runId, String error) {
		if (error != null && error.contains("\n")) {
			return LogTail.last(error, LogTail.LINES);
		}
		// The run directory's layout is the scheduler's (RunDirectory), which this module may not depend on.
		String tail = LogTail.of(runsDirectory.resolve(Long.toString(runId)).resolve("run.log"), LogTail.LINES);
		if (tail == null) {
			// Run by another server on the same database: the end of its log as that server shipped it.
			tail = jdbc.sql("select tail from run_log_tail where run_id = :id").param("id", runId).query(byte[].class)
				.optional()
				.map(bytes -> LogTail.last(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), LogTail.LINES))
				.orElse(null);
		}
		if (tail == null || tail.isEmpty()) {
			return error;
		}
		return error == null ? tail : error + "\n" + tail;
	}

	private static RunSummary withDelta(RunSummary run, Double reference) {
		return run == null ? null : RunRows.with(run, reference, run.logExcerpt());
	}

	private static Comparator<RunSummary> byObjective(Goal goal) {
		Comparator<RunSummary> ascending = Comparator.comparingDouble(RunSummary::objective);
		return (goal == Goal.MAXIMIZE ? ascending.reversed() : ascending).thenComparingLong(RunSummary::id);
	}

	private static boolean finite(Double value) {
		return value != null && Double.isFinite(value);
	}

	private record ExperimentRow(ExperimentSpec spec, Long bestRunId) {
	}
}
