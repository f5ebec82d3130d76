package dev.nightshift.agent.loop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.nightshift.experiments.cluster.LocalTick;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.loop.LoopStatusChanged;
import dev.nightshift.experiments.proposal.ProposalStatusChanged;
import dev.nightshift.experiments.verdict.RunJudged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Wakes the running loops on one thread of their own whenever something may have changed (a loop started or
 * resumed, a run judged, a proposal decided), on every Quartz tick and at start, so a restarted server
 * carries on where it stopped. Wake-ups that arrive while a pass is pending fold into it. A pass only plans:
 * a model thinks on the {@link ModelCalls} executor while the GPUs train, and its answer wakes the loops again.
 * With several servers on one database a loop is stepped only by the server holding its {@link LoopLease}; every
 * server ticks on its own (Quartz's tick fires on one of them), which renews its leases and takes over loops whose
 * server stopped renewing.
 */
@Component
public class LoopDriver implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LoopDriver.class);

	private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
		Thread t = new Thread(task, "nightshift-loop");
		t.setDaemon(true);
		return t;
	});
	private final AtomicBoolean pending = new AtomicBoolean();
	private final LoopControl control;
	private final ResearchLoop loop;
	private final Reflections reflections;
	private final LoopLease lease;
	private final LoopProperties properties;
	private volatile boolean ready;
	private LocalTick tick;

	LoopDriver(LoopControl control, ResearchLoop loop, Reflections reflections, LoopLease lease,
			LoopProperties properties) {
		this.control = control;
		this.loop = loop;
		this.reflections = reflections;
		this.lease = lease;
		this.properties = properties;
	}

	/** Asks for a pass over every running loop soon. */
	public void wake() {
		if (ready && pending.compareAndSet(false, true)) {
			thread.execute(this::pass);
		}
	}

	private void pass() {
		pending.set(false);
		for (Loop active : control.allActive()) {
			if (active.status() != LoopStatus.RUNNING) {
				continue;
			}
			try {
				if (!lease.hold(active.id())) {
					// Another server drives this loop.
					continue;
				}
				loop.advance(active.id());
			}
			catch (RuntimeException ex) {
				log.error("Loop {} could not advance; the next wake-up tries again", active.id(), ex);
			}
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	synchronized void start() {
		ready = true;
		wake();
		if (tick == null) {
			tick = LocalTick.every("nightshift-loop-tick", properties.tick(), () -> {
				lease.renewHeld();
				wake();
			});
		}
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(LoopStatusChanged change) {
		wake();
	}

	/**
	 * After a run's verdict (not merely its end), so the reflection and the next step both see it. The reflection
	 * is only handed over here: it is asked on the model executor, never in the way of a step.
	 */
	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(RunJudged judged) {
		thread.execute(() -> {
			try {
				reflections.after(judged.runId());
			}
			catch (RuntimeException ex) {
				log.warn("Reflection on run {} failed: {}", judged.runId(), ex.getMessage());
			}
		});
		wake();
	}

	/** A call for proposals came back on the model executor. */
	@EventListener
	void on(ResearchLoop.ProposalsAnswered answered) {
		wake();
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(ProposalStatusChanged change) {
		if (change.from() != null) {
			wake();
		}
	}

	@Override
	public synchronized void destroy() {
		ready = false;
		if (tick != null) {
			tick.close();
		}
		thread.shutdownNow();
		try {
			lease.releaseAll();
		}
		catch (RuntimeException ex) {
			log.warn("Could not give up the loops' leases; they expire by themselves: {}", ex.getMessage());
		}
	}
}
