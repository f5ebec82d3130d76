package dev.nightshift.agent.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import dev.nightshift.experiments.spec.ExperimentSpecParser;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Seeds a long night of research straight into the tables, with set-based SQL so ten thousand runs take a
 * moment: a baseline, {@code runs} finished proposal runs (every 50th FAILED, every 97th OOM, one clear best
 * at 1.5), 40 dead-end questions with two runs each, 60 open questions, 30 vetoes and 3 pending proposals.
 *
 * @param experimentId the experiment
 * @param baselineRun  its baseline run, objective {@value #BASELINE_OBJECTIVE}
 * @param bestRun      its best run, objective 1.5
 * @param timedOutRun  a TIMED_OUT run whose error holds no log lines; its log is only in the run directory
 */
record ResearchHistory(long experimentId, long baselineRun, long bestRun, long timedOutRun) {

	static final double BASELINE_OBJECTIVE = 2.05;
	static final int DEAD_ENDS = 40;
	static final int OPEN_QUESTIONS = 60;
	static final int VETOES = 30;

	static ResearchHistory seed(JdbcClient jdbc, Path runsDirectory, int runs) throws IOException {
		String spec = new ExperimentSpecParser().toJson(Contexts.spec());
		String name = "context-" + UUID.randomUUID().toString().substring(0, 8);
		long e = jdbc.sql("insert into experiment (name, spec, created_by, created_at) values (?, ?, 'test', now()) returning id")
			.params(name, spec.replace("\"micro-gpt\"", "\"" + name + "\""))
			.query(Long.class)
			.single();
		long baseline = jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, queued_at, finished_at)
				values (?, 'BASELINE', 'SUCCEEDED', '{"lr": 0.003, "n_embd": 16, "act": "tanh"}', ?, now(), now())
				returning id""").params(e, BASELINE_OBJECTIVE).query(Long.class).single();
		jdbc.sql("""
				insert into question (experiment_id, text, status, conclusion, created_by, created_at, closed_at)
				select :e, 'Dead end ' || g || ': does knob ' || g || ' lower val_loss?',
				       case when g % 2 = 0 then 'DEAD_END' else 'REFUTED' end,
				       'Conclusion ' || g || ': two runs, no change beyond noise.', 'llm:test', now(), now()
				from generate_series(1, :n) g""").param("e", e).param("n", DEAD_ENDS).update();
		jdbc.sql("""
				insert into proposal (experiment_id, question_id, status, params, proposer, created_at)
				select :e, q.id, 'DONE', '{"lr": 0.0' || (q.id % 9 + 1) || ', "n_embd": ' || (8 + k) || ', "act": "relu"}',
				       'llm:test', now()
				from question q cross join generate_series(1, 2) k
				where q.experiment_id = :e and q.status in ('DEAD_END', 'REFUTED') order by q.id, k""").param("e", e).update();
		jdbc.sql("""
				insert into question (experiment_id, text, status, created_by, created_at)
				select :e, 'Open question ' || g, 'OPEN', 'strategy:tpe', now() from generate_series(1, :n) g""")
			.param("e", e).param("n", OPEN_QUESTIONS).update();
		jdbc.sql("""
				insert into proposal (experiment_id, question_id, status, params, proposer, created_at)
				select :e, (select min(id) from question where experiment_id = :e and status = 'OPEN') + g % :open, 'DONE',
				       '{"lr": ' || (0.001 + g * 1.0e-6) || ', "n_embd": ' || (8 + g % 57) || ', "act": "'
				       || case when g % 2 = 0 then 'relu' else 'tanh' end || '"}', 'strategy:tpe', now()
				from generate_series(1, :n) g order by g""").param("e", e).param("open", OPEN_QUESTIONS).param("n", runs).update();
		jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, objective, verdict, error,
				                 queued_at, started_at, finished_at)
				select p.experiment_id, p.id, 'PROPOSAL', s.status, p.params,
				       case when s.status <> 'SUCCEEDED' then null when p.n = 4321 then 1.5
				            when p.proposer = 'llm:test' then 2.2 else 2.0 + (p.n % 89) / 1000.0 end,
				       case when s.status <> 'SUCCEEDED' then null when p.n = 4321 then 'KEEP' else 'DISCARD' end,
				       case when s.status = 'TIMED_OUT' then 'stopped at its time budget of 2m'
				            when s.status <> 'SUCCEEDED' then 'exited with code 1; log ends with:' || chr(10)
				                 || 'step 100 loss 2.3' || chr(10) || 'RuntimeError: failure in run ' || p.n end,
				       now(), now(), now() + p.n * interval '1 second'
				from (select *, row_number() over (order by id) as n from proposal where experiment_id = :e) p
				cross join lateral (select case when p.n = :timedOut then 'TIMED_OUT' when p.n % 50 = 0 then 'FAILED'
				                               when p.n % 97 = 0 then 'OOM' else 'SUCCEEDED' end as status) s
				order by p.id""").param("e", e).param("timedOut", runs + 2 * DEAD_ENDS - 3).update();
		long best = jdbc.sql("select id from run where experiment_id = ? and objective = 1.5").param(e).query(Long.class).single();
		jdbc.sql("update experiment set best_run_id = ? where id = ?").params(best, e).update();
		long timedOut = jdbc.sql("select id from run where experiment_id = ? and status = 'TIMED_OUT'").param(e)
			.query(Long.class).single();
		Path runDirectory = Files.createDirectories(runsDirectory.resolve(Long.toString(timedOut)));
		StringBuilder log = new StringBuilder();
		for (int i = 1; i <= 50; i++) {
			log.append("step ").append(i * 100).append(" loss 2.").append(i).append('\r');
		}
		Files.writeString(runDirectory.resolve("run.log"), log.append("\nKilled at the time budget\n"));
		jdbc.sql("""
				insert into proposal (experiment_id, question_id, status, params, proposer, status_reason, decided_by, created_at)
				select :e, (select min(id) from question where experiment_id = :e and status = 'OPEN'),
				       case when g % 3 = 0 then 'REJECTED' else 'VETOED' end, '{"lr": 0.02' || g || '}', 'llm:test',
				       'Reason ' || g || ': too close to the divergence seen before.', 'reviewer', now()
				from generate_series(1, :n) g order by g""").param("e", e).param("n", VETOES).update();
		for (String status : List.of("PROPOSED", "APPROVED", "SCHEDULED")) {
			jdbc.sql("""
					insert into proposal (experiment_id, question_id, status, params, proposer, created_at)
					values (?, (select min(id) from question where experiment_id = ? and status = 'OPEN'), ?,
					        '{"lr": 0.004}', 'strategy:tpe', now())""").params(e, e, status).update();
		}
		jdbc.sql("analyze run").update();
		jdbc.sql("analyze proposal").update();
		jdbc.sql("analyze question").update();
		return new ResearchHistory(e, baseline, best, timedOut);
	}
}
