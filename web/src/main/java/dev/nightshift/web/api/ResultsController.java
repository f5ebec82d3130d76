package dev.nightshift.web.api;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The downloads in autoresearch's shape: {@code results.tsv} and the dead-end log. */
@RestController
class ResultsController {

	private final ExperimentRepository experiments;
	private final JdbcClient jdbc;
	private final ResultsTsv results;

	ResultsController(ExperimentRepository experiments, JdbcClient jdbc, ResultsTsv results) {
		this.experiments = experiments;
		this.jdbc = jdbc;
		this.results = results;
	}

	@GetMapping("/api/experiments/{id}/results.tsv")
	void results(@PathVariable long id, HttpServletResponse response) throws java.io.IOException {
		Experiment experiment = experiments.require(new ExperimentId(id));
		response.setContentType("text/tab-separated-values;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"results.tsv\"");
		results.write(experiment, response.getWriter());
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
		return ResultsTsv.clean(text);
	}
}
