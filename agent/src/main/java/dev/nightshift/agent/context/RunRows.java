package dev.nightshift.agent.context;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.shared.JsonMapConverter;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The runs a research context needs, in one query: the newest finished runs, the best ones, the runs of dead
 * ends, the newest crashes, the newest baseline and the experiment's best run. The newest and the best are
 * index scans that stop at their limit ({@code run_pkey} backwards, {@code run_by_experiment_objective});
 * dead ends go from their few questions to their proposals and then to runs by {@code run_by_proposal}.
 */
final class RunRows {

	/**
	 * Outcomes that say something about the parameters; CANCELLED and LOST runs say nothing. A PRUNED run says
	 * that its curve was hopeless where it was stopped.
	 */
	static final List<String> OUTCOMES = List.of(RunStatus.SUCCEEDED.name(), RunStatus.FAILED.name(),
			RunStatus.TIMED_OUT.name(), RunStatus.NO_METRIC.name(), RunStatus.DIVERGED.name(), RunStatus.OOM.name(),
			RunStatus.PRUNED.name());

	/** The failures shown with their log. */
	static final List<String> CRASHES = List.of(RunStatus.FAILED.name(), RunStatus.OOM.name(),
			RunStatus.DIVERGED.name(), RunStatus.TIMED_OUT.name());

	/** Longest error text read per run; the scheduler keeps about twenty log lines there. */
	static final int ERROR_CHARS = 4000;

	private static final JsonMapConverter PARAMS = new JsonMapConverter();

	private static final String SQL = """
			with newest as (
			    select id from run where experiment_id = :experiment and status in (:outcomes)
			    order by id desc limit :newest
			), best as (
			    select id from run where experiment_id = :experiment and status = 'SUCCEEDED' and objective is not null
			    order by objective %s limit :best
			), dead_end_proposal as materialized (
			    select p.id from question q join proposal p on p.question_id = q.id
			    where q.experiment_id = :experiment and q.status in ('DEAD_END', 'REFUTED') and p.experiment_id = :experiment
			), dead_end as (
			    select r.id from run r
			    where r.proposal_id in (select id from dead_end_proposal) and r.status in (:outcomes)
			    order by r.id desc limit :deadEnd
			), crash as (
			    select id from run where experiment_id = :experiment and status in (:crashes)
			    order by id desc limit :crash
			), baseline as (
			    select id from run where experiment_id = :experiment and kind = 'BASELINE' and status in (:outcomes)
			    order by (status = 'SUCCEEDED') desc, id desc limit 1
			), picked as (
			    select id from newest union select id from best union select id from dead_end
			    union select id from crash union select id from baseline
			    union select id from run where id = :bestRunId and experiment_id = :experiment
			)
			select r.id, r.proposal_id, p.question_id, r.kind, r.status, r.params, r.objective, r.verdict, p.patch, r.varied,
			       left(r.error, :errorChars) as error, r.finished_at,
			       r.id in (select id from newest) or r.id in (select id from dead_end) as in_history,
			       r.id in (select id from best) as in_best,
			       r.id in (select id from crash) as in_crash,
			       r.id in (select id from baseline) as is_baseline
			from picked join run r on r.id = picked.id
			left join proposal p on p.id = r.proposal_id
			order by r.id desc
			""";

	/** One run with the parts it belongs to. */
	record Row(RunSummary run, boolean inHistory, boolean inBest, boolean inCrash, boolean isBaseline) {
	}

	/** How many runs of each part to read. */
	record Limits(int newest, int best, int deadEnd, int crash) {
	}

	private RunRows() {
	}

	/** The rows, newest first; deltas are left null for the caller, who knows the reference. */
	static List<Row> read(JdbcClient jdbc, long experimentId, Goal goal, Long bestRunId, Limits limits) {
		String direction = goal == Goal.MAXIMIZE ? "desc" : "asc";
		return jdbc.sql(SQL.formatted(direction))
			.param("experiment", experimentId)
			.param("outcomes", OUTCOMES)
			.param("crashes", CRASHES)
			.param("newest", limits.newest())
			.param("best", limits.best())
			.param("deadEnd", limits.deadEnd())
			.param("crash", limits.crash())
			.param("errorChars", ERROR_CHARS)
			.param("bestRunId", bestRunId == null ? -1L : bestRunId)
			.query((rs, n) -> row(rs))
			.list();
	}

	private static Row row(ResultSet rs) throws SQLException {
		Timestamp finished = rs.getTimestamp("finished_at");
		RunSummary run = new RunSummary(rs.getLong("id"), rs.getObject("proposal_id", Long.class),
				rs.getObject("question_id", Long.class), rs.getString("kind"), rs.getString("status"),
				params(rs.getString("params")), rs.getObject("objective", Double.class), null,
				rs.getString("verdict"), rs.getString("patch"), rs.getString("error"),
				finished == null ? null : finished.toInstant(), strings(rs, "varied"));
		return new Row(run, rs.getBoolean("in_history"), rs.getBoolean("in_best"), rs.getBoolean("in_crash"),
				rs.getBoolean("is_baseline"));
	}

	/** A text[] column, null when null. */
	static List<String> strings(ResultSet rs, String column) throws SQLException {
		java.sql.Array array = rs.getArray(column);
		return array == null ? null : List.of((String[]) array.getArray());
	}

	static Map<String, Object> params(String json) {
		return json == null ? Map.of() : PARAMS.convertToEntityAttribute(json);
	}

	/** The same run with its delta to {@code reference} (null when either is unknown) and another excerpt. */
	static RunSummary with(RunSummary run, Double reference, String logExcerpt) {
		Double delta = reference == null || run.objective() == null ? null : run.objective() - reference;
		return new RunSummary(run.id(), run.proposalId(), run.questionId(), run.kind(), run.status(), run.params(),
				run.objective(), delta, run.verdict(), run.diff(), logExcerpt, run.finishedAt(), run.varied());
	}

	static List<RunSummary> runs(List<Row> rows) {
		List<RunSummary> runs = new ArrayList<>(rows.size());
		rows.forEach(row -> runs.add(row.run()));
		return runs;
	}
}
