package dev.nightshift.scheduler.execution;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads with a readable name, so a thread dump shows which run each one supervises. */
final class NamedThreads implements ThreadFactory {

	private final String prefix;
	private final AtomicInteger count = new AtomicInteger();

	NamedThreads(String prefix) {
		this.prefix = prefix;
	}

	@Override
	public Thread newThread(Runnable task) {
		Thread thread = new Thread(task, prefix + count.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	}
}
