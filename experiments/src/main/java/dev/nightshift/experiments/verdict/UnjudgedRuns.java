package dev.nightshift.experiments.verdict;

import java.util.List;

import dev.nightshift.experiments.recovery.Repair;
import dev.nightshift.experiments.run.RunId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finished runs still owed a verdict: a SUCCEEDED candidate without one, a successful baseline of an experiment
 * that has no best yet, a finished replicate of a run still CONFIRMING. Each is judged as its
 * {@link dev.nightshift.experiments.run.RunFinished} would have had it judged.
 */
@Component
class UnjudgedRuns implements Repair {

	/**
	 * At most this many runs are judged per pass, oldest first; the next tick takes the rest. A backlog (a history
	 * written into the database by hand) must not hold the repair thread, and the reconciler's lock, for minutes.
	 */
	static final int BATCH = 500;

	private final JdbcClient jdbc;
	private final JudgeRun judge;

	UnjudgedRuns(JdbcClient jdbc, JudgeRun judge) {
		this.jdbc = jdbc;
		this.judge = judge;
	}

	@Override
	public String name() {
		return "finished runs without their verdict";
	}

	@Override
	public int repair() {
		List<Long> owed = jdbc.sql("""
				select r.id from run r join experiment e on e.id = r.experiment_id
				where r.status = 'SUCCEEDED' and r.verdict is null and r.kind = 'PROPOSAL'
				union
				select r.id from run r join experiment e on e.id = r.experiment_id
				where r.status = 'SUCCEEDED' and r.kind = 'BASELINE' and e.best_run_id is null
				union
				select r.id from run r join run o on o.id = r.replicate_of
				where r.kind = 'REPLICATE' and r.verdict is null and r.finished_at is not null
				  and o.verdict = 'CONFIRMING'
				order by 1
				limit :batch""")
			.param("batch", BATCH)
			.query(Long.class)
			.list();
		int judged = 0;
		for (long id : owed) {
			if (judge.judge(new RunId(id))) {
				judged++;
			}
		}
		return judged;
	}
}
