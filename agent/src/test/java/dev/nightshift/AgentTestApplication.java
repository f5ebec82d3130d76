package dev.nightshift;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The agent with the domain core and no web layer or scheduler, as its integration tests start it. */
@SpringBootApplication
class AgentTestApplication {
}
