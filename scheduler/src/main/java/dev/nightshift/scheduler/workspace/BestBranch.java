package dev.nightshift.scheduler.workspace;

import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.experiment.BestRunChanged;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.recovery.Repair;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps the branch {@code nightshift/best} of each experiment's repository at its best run's commit: moved when
 * {@link BestRunChanged} arrives, and by the reconciler wherever it was left behind (a crash, a git failure).
 * Either way the branch goes to the best run the database names at that moment, never to the commit an event
 * carried, so two moves handled out of order still end at the best. No transaction is held while git runs.
 */
@Component
class BestBranch implements Repair {

	private static final Logger log = LoggerFactory.getLogger(BestBranch.class);

	private final Workspaces workspaces;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final JdbcClient jdbc;

	BestBranch(Workspaces workspaces, ExperimentRepository experiments, RunRepository runs, JdbcClient jdbc) {
		this.workspaces = workspaces;
		this.experiments = experiments;
		this.runs = runs;
		this.jdbc = jdbc;
	}

	/** A failure (git refused or timed out) leaves the publication incomplete, to be resubmitted. */
	@Async
	@TransactionalEventListener(id = "move-best-branch")
	void on(BestRunChanged change) {
		bringUpToDate(change.experimentId());
	}

	@Override
	public String name() {
		return "best branches behind their best run";
	}

	@Override
	public int repair() {
		List<Long> withBest = jdbc.sql("select id from experiment where best_run_id is not null order by id")
			.query(Long.class)
			.list();
		int moved = 0;
		for (long id : withBest) {
			// One experiment whose repository is gone or whose git fails must not keep the others behind.
			try {
				if (bringUpToDate(new ExperimentId(id))) {
					moved++;
				}
			}
			catch (RuntimeException ex) {
				log.warn("Could not bring nightshift/best of experiment {} up to date: {}", id, ex.getMessage());
			}
		}
		return moved;
	}

	/** Moves the branch to the experiment's best run's commit unless it is there; returns whether it moved. */
	synchronized boolean bringUpToDate(ExperimentId experiment) {
		Optional<String> best = experiments.require(experiment).bestRunId().flatMap(runs::findById).flatMap(Run::commit);
		Optional<String> current = workspaces.bestCommit(experiment.value());
		// No repository (never imported, or removed by hand): there is no branch to move.
		if (best.isEmpty() || current.isEmpty() && !workspaces.hasRepository(experiment.value())
				|| best.equals(current)) {
			return false;
		}
		workspaces.markBest(experiment.value(), best.get());
		return true;
	}
}
