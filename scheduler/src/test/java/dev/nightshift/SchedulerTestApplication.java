package dev.nightshift;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The scheduler with the domain core and no web layer, as its integration tests start it. */
@SpringBootApplication
class SchedulerTestApplication {
}
