package dev.nightshift.web.api;

import java.io.PrintWriter;
import java.util.Locale;

import dev.nightshift.experiments.experiment.Experiment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes {@code results.tsv} in autoresearch's columns: {@code commit, <objective>, memory_gb, status, description},
 * one row per finished run, oldest first, streamed so a long history costs no memory. The API's download and
 * the MCP server's resource both write it here.
 */
@Component
public class ResultsTsv {

	private final JdbcClient jdbc;

	ResultsTsv(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void write(Experiment experiment, PrintWriter out) {
		out.print("commit\t" + experiment.spec().objective().metric() + "\tmemory_gb\tstatus\tdescription\n");
		jdbc.sql("""
				select r.commit_sha, r.objective, r.peak_memory_mb, r.status, r.verdict, r.verdict_reason, r.kind,
				       coalesce(q.text, '') as question, coalesce(p.rationale, '') as rationale
				from run r left join proposal p on p.id = r.proposal_id left join question q on q.id = p.question_id
				where r.experiment_id = ? and r.status not in ('QUEUED', 'STARTING', 'RUNNING') order by r.id""")
			.param(experiment.id().value())
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

	static String clean(String text) {
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
