package dev.nightshift.scheduler.execution;

import java.util.List;

import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.recovery.Repair;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * SCHEDULED proposals none of whose runs is still to come, as a crash between a run's end and its proposal's, or
 * any other lost step, would leave them: nothing would ever end them, and the loop would count them as running.
 * Each is ended as its last run's end would have ended it: WITHDRAWN when every run was cancelled before it
 * started, DONE otherwise.
 */
@Component
class ScheduledWithoutRun implements Repair {

	private final JdbcClient jdbc;
	private final RunRecorder recorder;

	ScheduledWithoutRun(JdbcClient jdbc, RunRecorder recorder) {
		this.jdbc = jdbc;
		this.recorder = recorder;
	}

	@Override
	public String name() {
		return "scheduled proposals with no run to come";
	}

	@Override
	public int repair() {
		List<Row> scheduled = jdbc.sql("""
				select p.id, bool_and(r.status = 'CANCELLED' and r.started_at is null) as never_started
				from proposal p join run r on r.proposal_id = p.id
				where p.status = 'SCHEDULED'
				group by p.id
				having bool_and(r.status not in ('QUEUED', 'STARTING', 'RUNNING'))
				order by p.id""")
			.query(Row.class)
			.list();
		int closed = 0;
		for (Row row : scheduled) {
			try {
				if (recorder.closeIfNothingToCome(new ProposalId(row.id()), row.neverStarted())) {
					closed++;
				}
			}
			catch (ConcurrencyFailureException endedMeanwhile) {
				// Its last run's own end closed it at the same moment.
			}
		}
		return closed;
	}

	private record Row(long id, boolean neverStarted) {
	}
}
