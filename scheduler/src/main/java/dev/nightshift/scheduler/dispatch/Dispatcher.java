package dev.nightshift.scheduler.dispatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.scheduler.disk.FreeDisk;
import dev.nightshift.scheduler.slot.Slot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Matches queued runs with free slots, oldest run first. Each claim is a compare-and-set on the run's
 * version (QUEUED → STARTING), so a run claimed twice, by a tick racing an event or by two servers on one
 * database, is started once; the claim records this server as the run's owner. Nothing
 * starts while the home's disk is below {@code nightshift.health.min-free-disk}. After each pass the runs next in
 * the queue, one per slot, are handed to the {@link RunPrefetch} to be prepared while the slots are busy.
 */
@Service
public class Dispatcher {

	private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

	private static final int SCAN = 50;

	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final SlotBoard board;
	private final RunStarter starter;
	private final TransactionTemplate transactions;
	private final FreeDisk freeDisk;
	private final RunPrefetch prefetch;
	private final RemoteExecutor remote;
	private final ServerIdentity server;
	private boolean diskWasLow;

	Dispatcher(RunRepository runs, ExperimentRepository experiments, SlotBoard board, RunStarter starter,
			TransactionTemplate transactions, FreeDisk freeDisk, RunPrefetch prefetch,
			ObjectProvider<RemoteExecutor> remote, ServerIdentity server) {
		this.remote = remote.getIfAvailable();
		this.server = server;
		this.freeDisk = freeDisk;
		this.prefetch = prefetch;
		this.runs = runs;
		this.experiments = experiments;
		this.board = board;
		this.starter = starter;
		this.transactions = transactions;
	}

	/**
	 * Starts as many queued runs as there are free slots for; returns how many it started. While the disk of the
	 * home is below its minimum nothing starts: the runs wait QUEUED.
	 */
	public synchronized int dispatch() {
		if (diskTooFull()) {
			return 0;
		}
		int started = 0;
		// What each experiment asks for, read once a pass rather than once per queued run.
		Map<ExperimentId, ExperimentSpec> specOf = new HashMap<>();
		while (board.anyFree() || remote != null && remote.anyFree()) {
			List<Run> queued = runs.findByStatusIn(List.of(RunStatus.QUEUED), PageRequest.of(0, SCAN, Sort.by("id")));
			boolean claimedOne = false;
			for (Run candidate : queued) {
				ExperimentSpec spec = specOf.computeIfAbsent(candidate.experimentId(),
						id -> experiments.require(id).spec());
				if (remote != null && remote.takes(spec)) {
					if (startRemotely(candidate)) {
						started++;
						claimedOne = true;
						break;
					}
					continue;
				}
				int gpus = spec.resources().gpus();
				Optional<List<Slot>> slots = board.free(gpus);
				if (slots.isEmpty()) {
					continue;
				}
				if (claim(candidate, slots.get(), gpus > 0)) {
					board.occupy(slots.get(), candidate.id());
					starter.start(candidate.id(), slots.get());
					started++;
					claimedOne = true;
					break;
				}
			}
			if (!claimedOne) {
				break;
			}
		}
		prefetchNext();
		return started;
	}

	/** The queued runs that come next, one per slot, go to be prepared while the slots are busy. */
	private void prefetchNext() {
		int slots = Math.max(1, board.snapshot().size());
		List<RunId> next = runs.findByStatusIn(List.of(RunStatus.QUEUED), PageRequest.of(0, slots, Sort.by("id")))
			.stream()
			.map(Run::id)
			.toList();
		prefetch.prepareAhead(next);
	}

	private boolean diskTooFull() {
		FreeDisk.Reading disk = freeDisk.read();
		boolean low = disk.low();
		if (low != diskWasLow) {
			if (low) {
				log.warn("Holding new runs: {}; queued runs stay QUEUED until space is freed", disk.describe());
			}
			else {
				log.info("Starting runs again: {}", disk.describe());
			}
			diskWasLow = low;
		}
		else if (low) {
			log.debug("Still holding new runs: {}", disk.describe());
		}
		return low;
	}

	/** Claims a run for a place of the remote executor and hands it over; false when none is free or it is taken. */
	private boolean startRemotely(Run candidate) {
		if (!remote.reserve(candidate.id())) {
			return false;
		}
		if (!claim(candidate, remote.slotName(), "")) {
			remote.release(candidate.id());
			return false;
		}
		remote.start(candidate.id());
		return true;
	}

	private boolean claim(Run candidate, List<Slot> slots, boolean wantsGpus) {
		return claim(candidate, String.join(",", slots.stream().map(Slot::id).toList()),
				wantsGpus ? Slot.cudaVisibleDevices(slots) : "");
	}

	private boolean claim(Run candidate, String slotIds, String gpuIds) {
		try {
			return Boolean.TRUE.equals(transactions.execute(tx -> {
				Run run = runs.require(candidate.id());
				if (run.status() != RunStatus.QUEUED) {
					return false;
				}
				run.claim(slotIds, gpuIds, "system");
				run.ownedBy(server.id());
				runs.saveAndFlush(run);
				return true;
			}));
		}
		catch (ObjectOptimisticLockingFailureException claimedElsewhere) {
			log.debug("Run {} was claimed concurrently", candidate.id());
			return false;
		}
	}
}
