package dev.nightshift.agent.loop;

import java.sql.Timestamp;

import dev.nightshift.experiments.loop.Loop;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where a loop stands: runs started and finished since it began, slot hours spent, proposals waiting, what its
 * proposers cost.
 */
@Component
public class LoopProgress {

	private final JdbcClient jdbc;

	LoopProgress(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param started          runs queued since the loop began, whatever became of them
	 * @param finished         of those, the ones that ended
	 * @param active           queued, starting or running now
	 * @param slotHours        hours of run time spent since the loop began
	 * @param awaitingApproval proposals made since the loop began that wait for a person
	 * @param approved         proposals approved but without a run yet
	 * @param tokens           prompt and answer tokens of the proposals made since the loop began and of the
	 *                         reflections on its runs
	 * @param costUsd          their cost in US dollars, at the configured prices
	 */
	public record Snapshot(int started, int finished, int active, double slotHours, int awaitingApproval,
			int approved, long tokens, double costUsd) {
	}

	public Snapshot of(Loop loop) {
		long experiment = loop.experimentId().value();
		Timestamp since = Timestamp.from(loop.startedAt());
		return jdbc.sql("""
				select
				  (select count(*) from run where experiment_id = :e and queued_at >= :since) as started,
				  (select count(*) from run where experiment_id = :e and queued_at >= :since
				     and status not in ('QUEUED', 'STARTING', 'RUNNING')) as finished,
				  (select count(*) from run where experiment_id = :e and status in ('QUEUED', 'STARTING', 'RUNNING')) as active,
				  (select coalesce(sum(extract(epoch from (coalesce(finished_at, now()) - started_at))), 0) / 3600.0
				     from run where experiment_id = :e and queued_at >= :since and started_at is not null) as hours,
				  (select count(*) from proposal where experiment_id = :e and status = 'PROPOSED') as proposed,
				  (select count(*) from proposal where experiment_id = :e and status = 'APPROVED') as approved,
				  (select coalesce(sum(tokens_in + tokens_out), 0) from proposal
				     where experiment_id = :e and created_at >= :since)
				  + (select coalesce(sum(reflection_tokens_in + reflection_tokens_out), 0) from run
				     where experiment_id = :e and queued_at >= :since) as tokens,
				  (select coalesce(sum(cost_usd), 0) from proposal where experiment_id = :e and created_at >= :since)
				  + (select coalesce(sum(reflection_cost_usd), 0) from run
				     where experiment_id = :e and queued_at >= :since) as cost
				""")
			.param("e", experiment)
			.param("since", since)
			.query((rs, row) -> new Snapshot(rs.getInt("started"), rs.getInt("finished"), rs.getInt("active"),
					rs.getDouble("hours"), rs.getInt("proposed"), rs.getInt("approved"), rs.getLong("tokens"),
					rs.getDouble("cost")))
			.single();
	}
}
