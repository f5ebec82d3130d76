package dev.nightshift.scheduler.dispatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.slot.Slot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Matches queued runs with free slots, oldest run first. Each claim is a compare-and-set on the run's
 * version (QUEUED → STARTING), so a run claimed twice, by a tick racing an event, is started once.
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

	Dispatcher(RunRepository runs, ExperimentRepository experiments, SlotBoard board, RunStarter starter,
			TransactionTemplate transactions) {
		this.runs = runs;
		this.experiments = experiments;
		this.board = board;
		this.starter = starter;
		this.transactions = transactions;
	}

	/** Starts as many queued runs as there are free slots for; returns how many it started. */
	public synchronized int dispatch() {
		int started = 0;
		// What each experiment asks for, read once a pass rather than once per queued run.
		Map<ExperimentId, Integer> gpusOf = new HashMap<>();
		while (board.anyFree()) {
			List<Run> queued = runs.findByStatusIn(List.of(RunStatus.QUEUED), PageRequest.of(0, SCAN, Sort.by("id")));
			boolean claimedOne = false;
			for (Run candidate : queued) {
				int gpus = gpusOf.computeIfAbsent(candidate.experimentId(),
						id -> experiments.require(id).spec().resources().gpus());
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
		return started;
	}

	private boolean claim(Run candidate, List<Slot> slots, boolean wantsGpus) {
		String slotIds = String.join(",", slots.stream().map(Slot::id).toList());
		try {
			return Boolean.TRUE.equals(transactions.execute(tx -> {
				Run run = runs.require(candidate.id());
				if (run.status() != RunStatus.QUEUED) {
					return false;
				}
				run.claim(slotIds, wantsGpus ? Slot.cudaVisibleDevices(slots) : "", "system");
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
