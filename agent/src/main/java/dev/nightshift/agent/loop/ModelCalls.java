package dev.nightshift.agent.loop;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.llm.AgentProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Where calls to a model run: an executor of their own with at most {@code nightshift.agent.max-concurrency}
 * threads, so that the loops' steps (and the HTTP threads that trigger them) never wait for a model, and one
 * slow call never holds up another loop. Queued proposal calls go before queued reflections: a slot waits for
 * a proposal, nobody waits for a reflection. Reflections hold at most {@code max-concurrency − 1} threads at once
 * (all of them only when there is one), so a proposal call always finds a thread free of reflections; the others
 * wait, in order, for one to end. A built-in strategy costs nothing to ask and is asked on the caller's thread.
 */
@Component
class ModelCalls implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ModelCalls.class);

	/** What a call is for; the order is the priority of queued calls. */
	enum Kind {
		PROPOSAL, REFLECTION
	}

	private final AtomicLong sequence = new AtomicLong();
	private final AtomicInteger running = new AtomicInteger();
	private final ThreadPoolExecutor pool;
	private final int reflectionThreads;
	private final Queue<Runnable> heldReflections = new ArrayDeque<>();
	private int reflecting;

	ModelCalls(AgentProperties properties) {
		AtomicInteger threads = new AtomicInteger();
		int size = properties.maxConcurrency();
		this.pool = new ThreadPoolExecutor(size, size, 1, TimeUnit.MINUTES, new PriorityBlockingQueue<>(), task -> {
			Thread t = new Thread(task, "nightshift-model-" + threads.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
		this.pool.allowCoreThreadTimeOut(true);
		this.reflectionThreads = Math.max(1, size - 1);
	}

	/** Where {@code proposer} is asked: on the model executor for a model, on the caller's thread otherwise. */
	Executor forProposer(Proposer proposer, Kind kind) {
		return proposer.costsCalls() ? task -> submit(kind, task) : Runnable::run;
	}

	/** Calls to a model running now. */
	int running() {
		return running.get();
	}

	private void submit(Kind kind, Runnable task) {
		if (kind == Kind.REFLECTION) {
			reflection(task);
			return;
		}
		enqueue(kind, task);
	}

	/** Hands a reflection to the pool when fewer than its share run or wait there; holds it otherwise. */
	private synchronized void reflection(Runnable task) {
		if (reflecting >= reflectionThreads) {
			heldReflections.add(task);
			return;
		}
		reflecting++;
		enqueue(Kind.REFLECTION, () -> {
			try {
				task.run();
			}
			finally {
				reflectionEnded();
			}
		});
	}

	private synchronized void reflectionEnded() {
		reflecting--;
		Runnable next = heldReflections.poll();
		if (next != null) {
			reflection(next);
		}
	}

	private void enqueue(Kind kind, Runnable task) {
		pool.execute(new Call(kind, sequence.incrementAndGet(), () -> {
			running.incrementAndGet();
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.error("A {} call to the model failed", kind.name().toLowerCase(), ex);
			}
			finally {
				running.decrementAndGet();
			}
		}));
	}

	@Override
	public void destroy() {
		pool.shutdownNow();
	}

	/** A queued call: proposals first, then first come first served. */
	private record Call(Kind kind, long order, Runnable task) implements Runnable, Comparable<Call> {

		@Override
		public void run() {
			task.run();
		}

		@Override
		public int compareTo(Call other) {
			int byKind = kind.compareTo(other.kind);
			return byKind != 0 ? byKind : Long.compare(order, other.order);
		}
	}
}
