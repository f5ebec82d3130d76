package dev.nightshift.scheduler.dispatch;

import dev.nightshift.experiments.cluster.LocalTick;
import dev.nightshift.scheduler.SchedulerProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The safety tick of this server's own slots. {@link DispatchTick} is a Quartz job, and clustered Quartz fires it
 * on one of the servers sharing the database only; a run queued by another server must still find this server's
 * free slots, so every server also asks for a pass every {@code nightshift.scheduler.tick} on its own.
 */
@Component
class ServerDispatchTick implements DisposableBean {

	private final DispatchTrigger trigger;
	private final SchedulerProperties properties;
	private LocalTick tick;

	ServerDispatchTick(DispatchTrigger trigger, SchedulerProperties properties) {
		this.trigger = trigger;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	synchronized void start() {
		if (tick == null) {
			tick = LocalTick.every("nightshift-dispatch-tick", properties.tick(), trigger::request);
		}
	}

	@Override
	public synchronized void destroy() {
		if (tick != null) {
			tick.close();
		}
	}
}
