package dev.nightshift.experiments.run;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The usage aggregates of runs ({@code run.usage_*}, V20). Plain SQL on columns the {@link Run} entity does not
 * map: a save of a run never overwrites them, and writing them never touches the run's version.
 */
@Repository
public class RunUsages {

	private final JdbcClient jdbc;

	RunUsages(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Stores the run's aggregates, replacing what was stored (the caller carries the earlier samples along). */
	public void save(RunId run, RunUsage usage) {
		jdbc.sql("""
				update run set usage_kind = ?, usage_samples = ?, usage_util_avg = ?, usage_util_peak = ?,
				               usage_memory_peak_mb = ?
				where id = ?""")
			.params(usage.kind(), usage.samples(), usage.utilAvg(), usage.utilPeak(), usage.memoryPeakMb(), run.value())
			.update();
	}

	public Optional<RunUsage> of(RunId run) {
		return of(List.of(run.value())).values().stream().findFirst();
	}

	/** The aggregates of the given runs that have any, by run id, in one query. */
	public Map<Long, RunUsage> of(Collection<Long> runs) {
		Map<Long, RunUsage> found = new HashMap<>();
		if (runs.isEmpty()) {
			return found;
		}
		jdbc.sql("""
				select id, usage_kind, usage_samples, usage_util_avg, usage_util_peak, usage_memory_peak_mb
				from run where id in (:ids) and usage_samples > 0""")
			.param("ids", runs)
			.query(rs -> {
				double memory = rs.getDouble("usage_memory_peak_mb");
				Double memoryPeak = rs.wasNull() ? null : memory;
				found.put(rs.getLong("id"), new RunUsage(rs.getString("usage_kind"), rs.getInt("usage_samples"),
						rs.getDouble("usage_util_avg"), rs.getDouble("usage_util_peak"), memoryPeak));
			});
		return found;
	}
}
