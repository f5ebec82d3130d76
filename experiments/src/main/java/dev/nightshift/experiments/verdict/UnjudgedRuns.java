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
	 * At most this many runs are judged per pass; the next pass goes on after the last one looked at (and starts
	 * over once it reached the end), so runs the judge leaves as they are never keep the others waiting. A backlog
	 * (a history written into the database by hand) must not hold the repair thread, and the reconciler's lock, for
	 * minutes.
	 */
	static final int BATCH = 500;

	// Touched by the reconciler's thread only (its passes are synchronized).
	private long after;

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
				select id from (
				select r.id from run r join experiment e on e.id = r.experiment_id
				where r.status = 'SUCCEEDED' and r.verdict is null and r.kind = 'PROPOSAL'
				union
				select r.id from run r join experiment e on e.id = r.experiment_id
				where r.status = 'SUCCEEDED' and r.kind = 'BASELINE' and e.best_run_id is null
				union
				select r.id from run r join run o on o.id = r.replicate_of
				where r.kind = 'REPLICATE' and r.verdict is null and r.finished_at is not null
				  and o.verdict = 'CONFIRMING'
				) owed where id > :after
				order by 1
				limit :batch""")
			.param("after", after)
			.param("batch", BATCH)
			.query(Long.class)
			.list();
		after = owed.size() < BATCH ? 0 : owed.get(owed.size() - 1);
		int judged = 0;
		for (long id : owed) {
			if (judge.judge(new RunId(id))) {
				judged++;
			}
		}
		return judged;
	}
}
