package dev.nightshift.scheduler.workspace;

import dev.nightshift.experiments.experiment.BestRunChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/** Moves the branch {@code nightshift/best} of an experiment's repository to its new best run's commit. */
@Component
class BestBranch {

	private static final Logger log = LoggerFactory.getLogger(BestBranch.class);

	private final Workspaces workspaces;

	BestBranch(Workspaces workspaces) {
		this.workspaces = workspaces;
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(BestRunChanged change) {
		if (change.commit() == null) {
			return;
		}
		try {
			workspaces.markBest(change.experimentId().value(), change.commit());
		}
		catch (WorkspaceException ex) {
			log.warn("Could not move {} of experiment {} to {}: {}", Workspaces.BEST_BRANCH, change.experimentId(),
					change.commit(), ex.getMessage());
		}
	}
}
