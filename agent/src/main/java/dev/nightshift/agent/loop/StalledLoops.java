package dev.nightshift.agent.loop;

import dev.nightshift.experiments.recovery.Repair;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * RUNNING loops that may have missed their step (the event that should have woken them was lost in a crash):
 * woken, so each takes its step. A step that finds nothing missing changes nothing, so waking twice is harmless.
 */
@Component
class StalledLoops implements Repair {

	private final JdbcClient jdbc;
	private final LoopDriver driver;

	StalledLoops(JdbcClient jdbc, LoopDriver driver) {
		this.jdbc = jdbc;
		this.driver = driver;
	}

	@Override
	public String name() {
		return "running loops woken for their next step";
	}

	@Override
	public int repair() {
		int running = jdbc.sql("select count(*) from research_loop where status = 'RUNNING'").query(Integer.class).single();
		if (running > 0) {
			driver.wake();
		}
		return 0;
	}
}
