package dev.nightshift.agent.loop;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.run.SlotCapacity;
import dev.nightshift.experiments.shared.JsonMapConverter;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What happened since a loop started, for the person who wakes up: runs by outcome, the improvements with
 * their deltas and diffs, what was learned (the questions answered, with their evidence), the dead ends found,
 * how busy the slots were, what the proposers cost.
 */
@Component
public class MorningSummary {

	private static final JsonMapConverter PARAMS = new JsonMapConverter();

	private final JdbcClient jdbc;
	private final SlotCapacity capacity;
	private final RunCosts runCosts;

	MorningSummary(JdbcClient jdbc, SlotCapacity capacity, RunCosts runCosts) {
		this.jdbc = jdbc;
		this.capacity = capacity;
		this.runCosts = runCosts;
	}

	/** A new best: which run, by how much, with what change. */
	public record Improvement(long runId, Double objective, Double delta, Map<String, Object> params, String patch,
			String rationale, Instant finishedAt) {
	}

	/** A question closed as a dead end, with why. */
	public record DeadEnd(long questionId, String text, String status, String conclusion) {
	}

	/**
	 * A question answered in the period: SUPPORTED, REFUTED or DEAD_END, with the conclusion that lists its
	 * evidence; {@code kind} and {@code factors} say what its runs varied.
	 */
	public record Learned(long questionId, String text, String status, String kind, List<String> factors,
			String conclusion, Instant closedAt) {
	}

	/**
	 * @param learned         the questions answered in the period, in the order they were closed
	 * @param slotUtilisation busy slot time over available slot time, 0 to 1
	 * @param verdict         one sentence: improved by how much, or why not
	 * @param loopStatus      the status of the experiment's latest loop, or null without one
	 * @param loopNote        why that loop ended, or why it paused itself (its breaker's reasons); null otherwise
	 * @param runCosts        what the runs cost their proposers, per run and in all: the proposal's share plus
	 *                        the reflection's
	 */
	public record Report(Instant since, Instant until, Map<String, Integer> runsByOutcome, Double baseline,
			Double best, List<Improvement> improvements, List<Learned> learned, List<DeadEnd> deadEnds,
			double slotUtilisation, long inputTokens, long outputTokens, double costUsd, String verdict,
			String loopStatus, String loopNote, RunCosts.Summary runCosts) {
	}

	/**
	 * The runs the pruning rule stopped early, and the run time that saved. The saving is an estimate: each pruned
	 * run's budget less the time it ran, as if it would otherwise have trained to its budget.
	 *
	 * @param runs       how many runs were pruned
	 * @param savedHours the run time saved, in hours of one run's slot
	 * @param gpusPerRun the GPUs one run holds; 0 on CPU slots
	 */
	public record Pruned(int runs, double savedHours, int gpusPerRun) {

		/** "12 runs pruned, 3.1 GPU-hours saved", or slot-hours for CPU runs. */
		public String text() {
			double hours = savedHours * Math.max(1, gpusPerRun);
			return String.format(java.util.Locale.ROOT, "%d run%s pruned, %.1f %s saved", runs, runs == 1 ? "" : "s",
					hours, gpusPerRun > 0 ? "GPU-hours" : "slot-hours");
		}
	}

	/** The runs pruned among those queued since {@code since}; see {@link Pruned}. */
	public Pruned pruned(Experiment experiment, Instant since) {
		var spec = experiment.spec();
		Map<String, Object> row = jdbc.sql("""
				select count(*) as runs,
				       coalesce(sum(greatest(0, :budget - extract(epoch from finished_at - started_at))), 0) as saved
				from run where experiment_id = :e and status = 'PRUNED' and queued_at >= :since""")
			.param("budget", spec.budget().run().toMillis() / 1000.0)
			.param("e", experiment.id().value())
			.param("since", Timestamp.from(since))
			.query()
			.singleRow();
		return new Pruned(((Number) row.get("runs")).intValue(), ((Number) row.get("saved")).doubleValue() / 3600,
				spec.resources().gpus());
	}

	public Report since(Experiment experiment, Instant since, Instant until) {
		long id = experiment.id().value();
		Timestamp from = Timestamp.from(since);
		Map<String, Integer> outcomes = new LinkedHashMap<>();
		jdbc.sql("select status, count(*) from run where experiment_id = ? and queued_at >= ? group by status order by status")
			.params(id, from)
			.query((rs, row) -> outcomes.put(rs.getString(1), rs.getInt(2)))
			.list();
		Double baseline = jdbc.sql("select avg(objective) from run where experiment_id = ? and kind = 'BASELINE' and status = 'SUCCEEDED'")
			.param(id)
			.query(Double.class)
			.optional()
			.orElse(null);
		Double best = jdbc.sql("select r.objective from experiment e join run r on r.id = e.best_run_id where e.id = ?")
			.param(id)
			.query(Double.class)
			.optional()
			.orElse(null);
		List<Improvement> improvements = improvements(experiment, from, baseline);
		List<DeadEnd> deadEnds = jdbc.sql("""
				select id, text, status, conclusion from question
				where experiment_id = ? and status in ('DEAD_END', 'REFUTED') and closed_at >= ? order by closed_at""")
			.params(id, from)
			.query((rs, row) -> new DeadEnd(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
			.list();
		List<Learned> learned = jdbc.sql("""
				select id, text, status, kind, factors, conclusion, closed_at from question
				where experiment_id = ? and status in ('SUPPORTED', 'REFUTED', 'DEAD_END') and closed_at >= ?
				order by closed_at, id""")
			.params(id, from)
			.query((rs, row) -> new Learned(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
					List.of((String[]) rs.getArray(5).getArray()), rs.getString(6), rs.getTimestamp(7).toInstant()))
			.list();
		double busySeconds = jdbc.sql("""
				select coalesce(sum(extract(epoch from (least(coalesce(finished_at, now()), :until) - greatest(started_at, :since)))), 0)
				from run where experiment_id = :e and started_at is not null
				  and (finished_at is null or finished_at > :since)""")
			.param("e", id)
			.param("since", from)
			.param("until", Timestamp.from(until))
			.query(Double.class)
			.single();
		double available = Math.max(1, Duration.between(since, until).toMillis() / 1000.0) * capacity.concurrentRuns();
		Map<String, Object> cost = jdbc.sql("""
				select coalesce(sum(tokens_in), 0) as tin, coalesce(sum(tokens_out), 0) as tout, coalesce(sum(cost_usd), 0) as usd
				from proposal where experiment_id = ? and created_at >= ?""")
			.params(id, from)
			.query()
			.singleRow();
		Optional<Map<String, Object>> latestLoop = jdbc.sql(
				"select status, stop_reason from research_loop where experiment_id = ? order by id desc limit 1")
			.param(id)
			.query()
			.listOfRows()
			.stream()
			.findFirst();
		return new Report(since, until, outcomes, baseline, best, improvements, learned, deadEnds,
				Math.min(1.0, busySeconds / available), ((Number) cost.get("tin")).longValue(),
				((Number) cost.get("tout")).longValue(), ((Number) cost.get("usd")).doubleValue(),
				verdict(experiment.spec().objective().goal(), baseline, best, improvements, outcomes),
				latestLoop.map(row -> (String) row.get("status")).orElse(null),
				latestLoop.map(row -> (String) row.get("stop_reason")).orElse(null), runCosts.since(id, since));
	}

	private List<Improvement> improvements(Experiment experiment, Timestamp from, Double baseline) {
		List<Improvement> kept = jdbc.sql("""
				select r.id, r.objective, r.params, p.patch, p.rationale, r.finished_at
				from run r left join proposal p on p.id = r.proposal_id
				where r.experiment_id = ? and r.verdict = 'KEEP' and r.kind <> 'BASELINE' and r.finished_at >= ? order by r.finished_at""")
			.params(experiment.id().value(), from)
			.query((rs, row) -> new Improvement(rs.getLong(1), rs.getObject(2) == null ? null : rs.getDouble(2), null,
					PARAMS.convertToEntityAttribute(rs.getString(3)), rs.getString(4), rs.getString(5),
					rs.getTimestamp(6).toInstant()))
			.list();
		Double previous = baseline;
		List<Improvement> withDeltas = new java.util.ArrayList<>();
		for (Improvement improvement : kept) {
			Double delta = previous == null || improvement.objective() == null ? null : improvement.objective() - previous;
			withDeltas.add(new Improvement(improvement.runId(), improvement.objective(), delta, improvement.params(),
					improvement.patch(), improvement.rationale(), improvement.finishedAt()));
			previous = improvement.objective();
		}
		return withDeltas;
	}

	private static String verdict(Goal goal, Double baseline, Double best, List<Improvement> improvements,
			Map<String, Integer> outcomes) {
		if (baseline == null) {
			return "No baseline run succeeded, so nothing could be compared" + (outcomes.isEmpty() ? "." : ": " + outcomes + ".");
		}
		if (best == null || improvements.stream().allMatch(i -> i.delta() == null || i.delta() == 0)) {
			return String.format(java.util.Locale.ROOT, "Nothing beat the baseline (%.6g) beyond its measured noise.", baseline);
		}
		double change = best - baseline;
		boolean better = goal == Goal.MINIMIZE ? change < 0 : change > 0;
		return better ? String.format(java.util.Locale.ROOT, "Improved from %.6g to %.6g (%+.4g) in %d step(s).", baseline, best,
				change, improvements.size())
				: String.format(java.util.Locale.ROOT, "Nothing beat the baseline (%.6g) beyond its measured noise.", baseline);
	}
}
