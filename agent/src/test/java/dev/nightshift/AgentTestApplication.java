package dev.nightshift;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The agent module with the domain core, as its integration tests start it. */
@SpringBootApplication
class AgentTestApplication {
}
