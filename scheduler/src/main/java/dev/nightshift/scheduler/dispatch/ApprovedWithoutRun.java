package dev.nightshift.scheduler.dispatch;

import java.util.List;

import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.recovery.Repair;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * APPROVED proposals that no run is queued for, as a crash between the approval and its
 * {@link dev.nightshift.experiments.proposal.ProposalApproved} listener leaves them: the loop counts such a
 * proposal as ready, so without this it would wait for a run that never comes while the GPUs idle.
 */
@Component
class ApprovedWithoutRun implements Repair {

	private final JdbcClient jdbc;
	private final RunQueue queue;
	private final DispatchTrigger trigger;

	ApprovedWithoutRun(JdbcClient jdbc, RunQueue queue, DispatchTrigger trigger) {
		this.jdbc = jdbc;
		this.queue = queue;
		this.trigger = trigger;
	}

	@Override
	public String name() {
		return "approved proposals without a queued run";
	}

	@Override
	public int repair() {
		List<Long> approved = jdbc.sql("""
				select p.id from proposal p
				where p.status = 'APPROVED'
				  and not exists (select 1 from run r where r.proposal_id = p.id and r.status in ('QUEUED', 'STARTING', 'RUNNING'))
				order by p.id""")
			.query(Long.class)
			.list();
		int queued = 0;
		for (long id : approved) {
			try {
				queue.queue(new ProposalId(id));
				queued++;
			}
			catch (ConcurrencyFailureException queuedMeanwhile) {
				// Its own event was handled at the same moment; the proposal has its run.
			}
		}
		if (queued > 0) {
			trigger.request();
		}
		return queued;
	}
}
