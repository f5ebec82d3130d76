package dev.nightshift;

import dev.nightshift.experiments.run.SlotCapacity;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The agent module with the domain core, as its integration tests start it. */
@SpringBootApplication
class AgentTestApplication {

	/** The scheduler, which knows the slots, is not part of these tests: one slot. */
	@Bean
	SlotCapacity slotCapacity() {
		return () -> 1;
	}
}
