package dev.nightshift.experiments.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tick that fires on this server, whatever the others do. Quartz in clustered mode fires each of its triggers
 * on one server of the cluster only; work that every server must do for itself (dispatch onto its own slots,
 * renewing the leases of the loops it drives) ticks here as well.
 */
public final class LocalTick implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LocalTick.class);

	private final ScheduledExecutorService thread;

	private LocalTick(ScheduledExecutorService thread) {
		this.thread = thread;
	}

	/** Runs {@code action} every {@code every} on a daemon thread named {@code name}; a failure is logged. */
	public static LocalTick every(String name, Duration every, Runnable action) {
		ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread t = new Thread(task, name);
			t.setDaemon(true);
			return t;
		});
		thread.scheduleWithFixedDelay(() -> {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				log.warn("{} failed; the next tick tries again: {}", name, ex.getMessage());
			}
		}, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
		return new LocalTick(thread);
	}

	@Override
	public void close() {
		thread.shutdownNow();
	}
}
