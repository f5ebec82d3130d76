package dev.nightshift.scheduler.sharedlog;

import java.util.Optional;

import dev.nightshift.experiments.run.RunId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The end of a run's log as its server last shipped it; what this server shows for a run that another server
 * runs (or ran): its own home has no {@code run.log} for it.
 */
@Component
public class SharedLogs {

	/**
	 * The log's bytes from {@code start} to {@code size}: the log had {@code size} bytes when it was shipped, and
	 * the first {@code start} of them stayed on the server that ran it ({@code server}). {@code complete} when the
	 * run has ended and this was shipped after its end (or its end is more than a minute ago, so nothing more comes):
	 * the log will not grow any more.
	 */
	public record Tail(long size, long start, byte[] bytes, String server, boolean complete) {

		/** {@code length} bytes from {@code position}, which must lie within the tail. */
		public byte[] read(long position, int length) {
			if (position < start || position + length > size) {
				throw new IllegalArgumentException("bytes " + position + "+" + length + " are not in the tail ["
						+ start + ", " + size + ")");
			}
			byte[] part = new byte[length];
			System.arraycopy(bytes, (int) (position - start), part, 0, length);
			return part;
		}
	}

	private final JdbcClient jdbc;

	SharedLogs(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Whether any of the run's log was shipped. */
	public boolean has(RunId run) {
		return jdbc.sql("select count(*) from run_log_tail where run_id = :id").param("id", run.value()).query(Long.class)
			.single() > 0;
	}

	/** The shipped end of the run's log; empty when none was shipped. */
	public Optional<Tail> tail(RunId run) {
		return jdbc.sql("""
				select t.size, t.tail, coalesce(s.host || ':' || s.home, t.server_id) as server,
				       coalesce(r.finished_at <= t.shipped_at or r.finished_at < now() - interval '1 minute', false)
				         as complete
				from run_log_tail t left join server s on s.id = t.server_id left join run r on r.id = t.run_id
				where t.run_id = :id""")
			.param("id", run.value())
			.query((rs, row) -> {
				byte[] bytes = rs.getBytes("tail");
				long size = rs.getLong("size");
				return new Tail(size, size - bytes.length, bytes, rs.getString("server"), rs.getBoolean("complete"));
			})
			.optional();
	}
}
