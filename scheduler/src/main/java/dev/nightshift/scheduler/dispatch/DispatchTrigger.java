package dev.nightshift.scheduler.dispatch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.nightshift.experiments.proposal.ProposalApproved;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.RunStatusChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs the dispatcher on one thread of its own whenever something may have changed: a run queued or finished,
 * a tick. Requests arriving while a pass is pending fold into it, so a burst of events costs one pass, and no
 * request thread ever waits for a slot. An approved proposal is first given its queued run, durably.
 */
@Component
public class DispatchTrigger implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(DispatchTrigger.class);

	private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "nightshift-dispatch");
		t.setDaemon(true);
		return t;
	});
	private final AtomicBoolean pending = new AtomicBoolean();
	private final Dispatcher dispatcher;
	private final RunQueue queue;
	private volatile boolean open;

	DispatchTrigger(Dispatcher dispatcher, RunQueue queue) {
		this.dispatcher = dispatcher;
		this.queue = queue;
	}

	/** Dispatching starts only once crash recovery has settled which slots are busy. */
	public void open() {
		open = true;
		request();
	}

	/** Asks for a dispatch pass soon. */
	public void request() {
		if (open && pending.compareAndSet(false, true)) {
			thread.execute(() -> {
				pending.set(false);
				try {
					dispatcher.dispatch();
				}
				catch (RuntimeException ex) {
					log.error("Dispatch pass failed; the next event or tick tries again", ex);
				}
			});
		}
	}

	/**
	 * Queues the approved proposal's run. The approval's publication in the event publication registry stays
	 * incomplete until this returns, so a crash or an exception before the run is queued hands it over again.
	 */
	@Async
	@TransactionalEventListener(id = "queue-approved-proposal")
	void on(ProposalApproved approved) {
		queue.queue(approved.proposalId());
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void onRun(RunStatusChanged change) {
		if (change.to() == RunStatus.QUEUED || change.to().isFinished()) {
			request();
		}
	}

	@Override
	public void destroy() {
		open = false;
		thread.shutdownNow();
	}
}
