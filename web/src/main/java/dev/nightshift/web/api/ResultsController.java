package dev.nightshift.web.api;

import java.util.Locale;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code results.tsv} in autoresearch's columns: {@code commit, <objective>, memory_gb, status, description},
 * one row per finished run, oldest first, streamed so a long history costs no memory.
 */
@RestController
class ResultsController {

	private final ExperimentRepository experiments;
	private final JdbcClient jdbc;

	ResultsController(ExperimentRepository experiments, JdbcClient jdbc) {
		this.experiments = experiments;
		this.jdbc = jdbc;
	}

	@GetMapping("/api/experiments/{id}/results.tsv")
	void results(@PathVariable long id, HttpServletResponse response) throws java.io.IOException {
		Experiment experiment = experiments.require(new ExperimentId(id));
		response.setContentType("text/tab-separated-values;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"results.tsv\"");
		var out = response.getWriter();
		out.print("commit\t" + experiment.spec().objective().metric() + "\tmemory_gb\tstatus\tdescription\n");
		jdbc.sql("""
				select r.commit_sha, r.objective, r.peak_memory_mb, r.status, r.verdict, r.verdict_reason, r.kind,
				       coalesce(q.text, '') as question, coalesce(p.rationale, '') as rationale
				from run r left join proposal p on p.id = r.proposal_id left join question q on q.id = p.question_id
				where r.experiment_id = ? and r.status not in ('QUEUED', 'STARTING', 'RUNNING') order by r.id""")
			.param(id)
			.query(rs -> {
				String commit = rs.getString("commit_sha");
				double objective = rs.getDouble("objective");
				boolean hasObjective = !rs.wasNull();
				double memory = rs.getDouble("peak_memory_mb");
				out.print(String.join("\t", commit == null ? "-" : commit.substring(0, Math.min(7, commit.length())),
						hasObjective ? String.format(Locale.ROOT, "%.6f", objective) : "0.000000",
						String.format(Locale.ROOT, "%.1f", memory / 1024.0),
						status(rs.getString("status"), rs.getString("verdict")),
						description(rs.getString("kind"), rs.getString("question"), rs.getString("rationale"))
								+ pruned(rs.getString("status"), rs.getString("verdict_reason"))));
				out.print('\n');
			});
		out.flush();
	}

	/**
	 * The dead-end log as a file: every question closed as DEAD_END or REFUTED, with its conclusion and the
	 * number of runs behind it, oldest first.
	 */
	@GetMapping("/api/experiments/{id}/dead-ends.tsv")
	void deadEnds(@PathVariable long id, HttpServletResponse response) throws java.io.IOException {
		experiments.require(new ExperimentId(id));
		response.setContentType("text/tab-separated-values;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"dead-ends.tsv\"");
		var out = response.getWriter();
		out.print("question\tstatus\truns\tclosed_at\tconclusion\n");
		jdbc.sql("""
				select q.text, q.status, q.closed_at, coalesce(q.conclusion, '') as conclusion,
				       (select count(*) from run r join proposal p on p.id = r.proposal_id where p.question_id = q.id) as runs
				from question q
				where q.experiment_id = ? and q.status in ('DEAD_END', 'REFUTED') order by q.closed_at, q.id""")
			.param(id)
			.query(rs -> {
				out.print(String.join("\t", clean(rs.getString("text")), rs.getString("status"),
						Long.toString(rs.getLong("runs")), String.valueOf(rs.getTimestamp("closed_at").toInstant()),
						clean(rs.getString("conclusion"))));
				out.print('\n');
			});
		out.flush();
	}

	private static String clean(String text) {
		return text.replaceAll("[\\t\\r\\n]+", " ").strip();
	}

	/** autoresearch's statuses: keep, discard, crash. A pruned run is no crash: it was discarded early. */
	private static String status(String status, String verdict) {
		if ("PRUNED".equals(status)) {
			return "discard";
		}
		if (!"SUCCEEDED".equals(status)) {
			return "crash";
		}
		return "KEEP".equals(verdict) ? "keep" : "discard";
	}

	/** For a pruned run, why and where it was stopped: its objective is the last value of a partial curve. */
	private static String pruned(String status, String reason) {
		return "PRUNED".equals(status) && reason != null ? " (pruned: " + clean(reason) + ")" : "";
	}

	private static String description(String kind, String question, String rationale) {
		String text = "BASELINE".equals(kind) ? "baseline" : "REPLICATE".equals(kind) ? "replicate: " + question
				: question.isEmpty() ? rationale : question;
		return clean(text);
	}
}
