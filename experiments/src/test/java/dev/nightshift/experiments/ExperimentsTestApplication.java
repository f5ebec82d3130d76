package dev.nightshift.experiments;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The experiments module alone, as its integration tests start it. */
@SpringBootApplication
class ExperimentsTestApplication {
}
