package dev.nightshift.scheduler.execution;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.Durations;
import dev.nightshift.scheduler.dispatch.DispatchTrigger;
import dev.nightshift.scheduler.dispatch.RemoteExecutor;
import dev.nightshift.scheduler.dispatch.SlotBoard;
import dev.nightshift.scheduler.process.RunSupervisor;
import dev.nightshift.scheduler.process.SupervisedRun;
import dev.nightshift.scheduler.process.TailPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, before anything is dispatched, reconciles the runs a previous server left STARTING or RUNNING
 * (SPEC section 7), those this server claimed only (another server on the same database takes up its own): one
 * that finished meanwhile is recorded from its exit status and log; one still alive is taken up again, its slots
 * marked busy and its budget counted from its real start; the rest are LOST, and their proposals queued again
 * once. Then dispatching opens.
 */
@Component
class RunRecovery {

	private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final MetricPoints metrics;
	private final RunSupervisor supervisor;
	private final RunPreparation preparation;
	private final RunRecorder recorder;
	private final LocalExecutor executor;
	private final SlotBoard board;
	private final DispatchTrigger trigger;
	private final RemoteExecutor remote;
	private final RunOwnership ownership;

	RunRecovery(RunRepository runs, ExperimentRepository experiments, MetricPoints metrics, RunSupervisor supervisor,
			RunPreparation preparation, RunRecorder recorder, LocalExecutor executor, SlotBoard board,
			DispatchTrigger trigger, ObjectProvider<RemoteExecutor> remote, RunOwnership ownership) {
		this.remote = remote.getIfAvailable();
		this.ownership = ownership;
		this.runs = runs;
		this.experiments = experiments;
		this.metrics = metrics;
		this.supervisor = supervisor;
		this.preparation = preparation;
		this.recorder = recorder;
		this.executor = executor;
		this.board = board;
		this.trigger = trigger;
	}

	@EventListener(ApplicationReadyEvent.class)
	void recover() {
		for (Run run : runs.findByStatusIn(List.of(RunStatus.STARTING, RunStatus.RUNNING))) {
			if (!ownership.mine(run)) {
				// Another server's run, on another machine: that server takes it up (or, dead, loses it).
				continue;
			}
			try {
				if (remote != null && remote.adopt(run)) {
					continue;
				}
				reconcile(run);
			}
			catch (IOException | RuntimeException ex) {
				log.error("Could not reconcile run {}", run.id(), ex);
				recorder.lost(run.id(), "the server could not read what became of it: " + ex.getMessage());
			}
		}
		trigger.open();
	}

	private void reconcile(Run run) throws IOException {
		MetricPoints.Offsets offsets = metrics.offsets(run.id());
		Optional<SupervisedRun> process = supervisor.attach(preparation.runDirectory(run.id()),
				executor.listenerFor(run.id()), new TailPosition(offsets.log(), offsets.metrics()));
		if (process.isEmpty()) {
			log.warn("Run {} left no trace of its end and no live process: LOST", run.id());
			recorder.lost(run.id(), "the server stopped while it " + (run.status() == RunStatus.STARTING
					? "was starting" : "ran") + ", and the run left neither a live process nor an exit status");
			return;
		}
		if (run.status() == RunStatus.STARTING) {
			recorder.started(run.id(), process.get().pid(), null);
		}
		log.info("Taking up run {} again (pid {})", run.id(), process.get().pid());
		run.slot().ifPresent(slots -> board.occupy(board.byIds(slots), run.id()));
		String budget = Durations.format(experiments.require(run.experimentId()).spec().budget().run());
		executor.resume(run.id(), process.get(), budget);
	}
}
