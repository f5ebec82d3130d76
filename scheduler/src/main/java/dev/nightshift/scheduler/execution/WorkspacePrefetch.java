package dev.nightshift.scheduler.execution;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.SchedulerProperties;
import dev.nightshift.scheduler.dispatch.RunPrefetch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Checks out the next queued runs' code on a thread of its own while the slots train, so that claiming a run
 * costs no git work: the slot gap's tail was the worktree made after the claim. Correctness comes first: a
 * claim takes a prepared checkout only if the code it would choose now (base and patch) is the code that was
 * checked out; otherwise the checkout and its branch are removed and the run is prepared as without prefetch.
 * A run that ends in the queue unstarted (cancelled) has its checkout removed on the next dispatch pass; one
 * left by a server that stopped is found and removed at the run's claim, since a run never returns to the queue.
 */
@Component
class WorkspacePrefetch implements RunPrefetch, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(WorkspacePrefetch.class);

	private final ExecutorService thread = Executors.newSingleThreadExecutor(new NamedThreads("nightshift-prefetch-"));
	private final Map<RunId, Future<Optional<RunCode.Checkout>>> prepared = new ConcurrentHashMap<>();
	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final RunCode code;
	private final boolean enabled;

	WorkspacePrefetch(RunRepository runs, ExperimentRepository experiments, RunCode code, SchedulerProperties properties) {
		this.runs = runs;
		this.experiments = experiments;
		this.code = code;
		this.enabled = properties.workspacePrefetch();
	}

	@Override
	public void prepareAhead(List<RunId> next) {
		if (!enabled) {
			// Switched off (nightshift.scheduler.workspace-prefetch=false): every claim checks its code out itself.
			return;
		}
		for (RunId run : next) {
			prepared.computeIfAbsent(run, id -> thread.submit(() -> prepare(id)));
		}
		for (Map.Entry<RunId, Future<Optional<RunCode.Checkout>>> entry : prepared.entrySet()) {
			if (!next.contains(entry.getKey())) {
				thread.execute(() -> dropIfEnded(entry.getKey(), entry.getValue()));
			}
		}
	}

	/**
	 * The checkout prepared for {@code run} if it holds exactly {@code target}; empty otherwise, with whatever was
	 * prepared for the run (here, or by a server before a restart) removed, so the run can be prepared afresh.
	 * Waits for a preparation under way; one not begun yet is called off.
	 */
	Optional<RunCode.Checkout> take(RunId run, RunCode.Target target) {
		Optional<RunCode.Checkout> ready = await(prepared.remove(run));
		if (ready.isPresent() && ready.get().target().equals(target)) {
			return ready;
		}
		if (ready.isPresent()) {
			log.debug("Run {} was prepared on {}, but its code is now {}: preparing it again", run,
					ready.get().target(), target);
		}
		code.discard(run, target.experimentId());
		return Optional.empty();
	}

	private Optional<RunCode.Checkout> prepare(RunId id) {
		try {
			Run run = runs.require(id);
			if (run.status() != RunStatus.QUEUED) {
				return Optional.empty();
			}
			RunCode.Target target = code.target(run, experiments.require(run.experimentId()));
			return Optional.of(code.checkout(id, target));
		}
		catch (RuntimeException ex) {
			// The claim prepares the run again and records what fails then, as without prefetch.
			log.debug("Could not prepare run {} ahead of its claim", id, ex);
			return Optional.empty();
		}
	}

	/** Removes the checkout of a run that ended in the queue, never having been claimed. */
	private void dropIfEnded(RunId id, Future<Optional<RunCode.Checkout>> preparation) {
		Optional<Run> run = runs.findById(id.value());
		if (run.isPresent() && !run.get().status().isFinished()) {
			return;
		}
		// A claim that takes the run at the same moment wins: whoever removes the entry owns the checkout.
		if (prepared.remove(id, preparation)) {
			await(preparation).ifPresent(checkout -> {
				try {
					code.discard(id, checkout.target().experimentId());
				}
				catch (RuntimeException ex) {
					log.warn("Could not remove the checkout prepared for run {}", id, ex);
				}
			});
		}
	}

	private static Optional<RunCode.Checkout> await(Future<Optional<RunCode.Checkout>> preparation) {
		if (preparation == null || preparation.cancel(false)) {
			return Optional.empty();
		}
		try {
			return preparation.get();
		}
		catch (CancellationException | ExecutionException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	@Override
	public void destroy() {
		thread.shutdownNow();
	}
}
