package dev.nightshift.experiments.lifecycle;

import java.time.Instant;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The append-only history of all state machines. Rows are written in the transaction of the move that
 * caused them, so a move and its history commit or roll back together; nothing ever updates or deletes one.
 */
@Component
public class StateHistory {

	private final JdbcClient jdbc;

	StateHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void record(StatusChanged change) {
		jdbc.sql("""
				insert into state_change (aggregate, aggregate_id, from_state, to_state, actor, reason, at)
				values (?, ?, ?, ?, ?, ?, ?)""")
			.params(change.aggregate(), change.aggregateId(), change.from() == null ? null : change.from().name(),
					change.to().name(), change.actor(), change.reason(), java.sql.Timestamp.from(change.at()))
			.update();
	}

	/** Every move of one aggregate, oldest first. */
	public List<Entry> of(String aggregate, long aggregateId) {
		return jdbc.sql("""
				select from_state, to_state, actor, reason, at from state_change
				where aggregate = ? and aggregate_id = ? order by id""")
			.params(aggregate, aggregateId)
			.query((rs, row) -> new Entry(rs.getString("from_state"), rs.getString("to_state"), rs.getString("actor"),
					rs.getString("reason"), rs.getTimestamp("at").toInstant()))
			.list();
	}

	/** One row of the history. */
	public record Entry(String from, String to, String actor, String reason, Instant at) {
	}
}
