package dev.nightshift.web.ui;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.nightshift.experiments.run.RunStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each experiment's latest loop and how far it has come toward its stop conditions: runs finished since it
 * started against {@code maxRuns} (counted as the research loop counts them for its stop condition), time
 * spent against {@code until}. One query for all experiments.
 */
@Component
class LoopBoard {

	private static final String LATEST = """
			with latest as (
			  select distinct on (experiment_id) * from research_loop order by experiment_id, id desc
			)
			select latest.*, (select count(*) from run r where r.experiment_id = latest.experiment_id
			    and r.queued_at >= latest.started_at and r.status in (:finished)) as runs_done
			from latest""";

	private final JdbcClient jdbc;

	LoopBoard(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A loop as the dashboard and the experiment page show it.
	 *
	 * @param runsDone runs finished since the loop started
	 */
	record View(long id, long experimentId, String status, String policy, int lookahead, Integer maxRuns,
			Instant until, Instant startedAt, Instant endedAt, String startedBy, String stopReason, long runsDone) {

		public boolean active() {
			return status.equals("RUNNING") || status.equals("PAUSED");
		}

		public boolean running() {
			return status.equals("RUNNING");
		}

		public boolean paused() {
			return status.equals("PAUSED");
		}

		/** Percent of {@code maxRuns} done, or null without that limit. */
		public Integer runsPercent() {
			return maxRuns == null ? null : (int) Math.min(100, runsDone * 100 / Math.max(1, maxRuns));
		}

		/** Percent of the time between start and {@code until} that has passed, or null without that limit. */
		public Integer timePercent() {
			if (until == null) {
				return null;
			}
			Instant now = endedAt == null ? Instant.now() : endedAt;
			long total = Math.max(1, Duration.between(startedAt, until).toSeconds());
			long spent = Duration.between(startedAt, now).toSeconds();
			return (int) Math.max(0, Math.min(100, spent * 100 / total));
		}

		/** How long until {@code until}, for an active loop with that limit. */
		public String timeLeft() {
			return until == null || !active() ? null : Elapsed.between(Instant.now(), until);
		}

		/** How long it has been going, or went. */
		public String age() {
			return Elapsed.between(startedAt, endedAt == null ? Instant.now() : endedAt);
		}
	}

	/** The latest loop of every experiment that has had one, by experiment id. */
	Map<Long, View> latestByExperiment() {
		return jdbc.sql(LATEST)
			.param("finished", finished())
			.query(LoopBoard::view)
			.list()
			.stream()
			.collect(Collectors.toMap(View::experimentId, Function.identity()));
	}

	/** The latest loop of one experiment, over or not. */
	Optional<View> latest(long experimentId) {
		return jdbc.sql(LATEST.replace("from research_loop", "from research_loop where experiment_id = :experiment"))
			.param("finished", finished())
			.param("experiment", experimentId)
			.query(LoopBoard::view)
			.optional();
	}

	private static List<String> finished() {
		return RunStatus.FINISHED.stream().map(Enum::name).toList();
	}

	private static View view(ResultSet rs, int row) throws SQLException {
		return new View(rs.getLong("id"), rs.getLong("experiment_id"), rs.getString("status"), rs.getString("policy"),
				rs.getInt("lookahead"), (Integer) rs.getObject("max_runs"), instant(rs.getTimestamp("until_time")),
				instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")), rs.getString("started_by"),
				rs.getString("stop_reason"), rs.getLong("runs_done"));
	}

	static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}
}
