package dev.nightshift.web.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The versions of an experiment: every experiment linked to it through {@code previous_id}, back to the first
 * and forward to every later one, oldest first. {@code GET /api/experiments/{id}/versions}, and the experiment
 * page as {@code ${@experimentVersions.of(id)}}.
 */
@RestController("experimentVersions")
public class ExperimentVersions {

	private final JdbcClient jdbc;
	private final ExperimentRepository experiments;

	ExperimentVersions(JdbcClient jdbc, ExperimentRepository experiments) {
		this.jdbc = jdbc;
		this.experiments = experiments;
	}

	/** One version; {@code previousId} is null for the first. */
	public record Version(long id, String name, Long previousId, String createdBy, Instant createdAt) {
	}

	@GetMapping("/api/experiments/{id}/versions")
	@Transactional(readOnly = true)
	List<Version> versions(@PathVariable long id) {
		experiments.require(new ExperimentId(id));
		return of(id);
	}

	/** The whole line of versions {@code id} belongs to, oldest first; just itself when it has no other version. */
	public List<Version> of(long id) {
		return jdbc.sql("""
				with recursive up (id, previous_id, depth) as (
				    select id, previous_id, 0 from experiment where id = :id
				    union all
				    select e.id, e.previous_id, up.depth + 1 from experiment e join up on e.id = up.previous_id
				    where up.depth < 1000),
				down (id, depth) as (
				    select id, 0 from up where previous_id is null
				    union all
				    select e.id, down.depth + 1 from experiment e join down on e.previous_id = down.id
				    where down.depth < 1000)
				select e.id, e.name, e.previous_id, e.created_by, e.created_at
				from experiment e where e.id in (select id from down) order by e.id""")
			.param("id", id)
			.query((rs, row) -> new Version(rs.getLong("id"), rs.getString("name"),
					rs.getObject("previous_id") == null ? null : rs.getLong("previous_id"), rs.getString("created_by"),
					rs.getObject("created_at", Timestamp.class).toInstant()))
			.list();
	}
}
