package dev.nightshift.web.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.scheduler.dispatch.Dispatcher;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A home whose disk is below {@code nightshift.health.min-free-disk}: health says DOWN and queued runs wait. The
 * threshold is raised above the real free space through a property source, as an operator's setting would.
 */
@WebIntegrationTest
class DiskHealthTest {

	private static final String SOURCE = "disk-health-test";

	@Autowired
	MockMvc mvc;

	@Autowired
	ConfigurableEnvironment environment;

	@Autowired
	RegisterExperiment register;

	@Autowired
	RunRepository runs;

	@Autowired
	Dispatcher dispatcher;

	@AfterEach
	void restoreTheThreshold() {
		environment.getPropertySources().remove(SOURCE);
	}

	@Test
	void belowTheMinimumFreeSpaceHealthIsDownAndQueuedRunsWaitUntilThereIsRoomAgain() throws Exception {
		environment.getPropertySources()
			.addFirst(new MapPropertySource(SOURCE, Map.of("nightshift.health.min-free-disk", "1000000TB")));
		mvc.perform(get("/actuator/health"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.status").value("DOWN"))
			.andExpect(jsonPath("$.components.homeDisk.status").value("DOWN"))
			.andExpect(jsonPath("$.components.db.status").value("UP"));

		Experiment experiment = register.register(new ExperimentSpecParser().parseYaml("""
				name: full-disk-%d
				command: "true"
				objective: {metric: val_loss}
				budget: {run: 1m}
				""".formatted(System.nanoTime())), "human:test");
		Run queued = runs.save(Run.queue(experiment.id(), null, RunKind.BASELINE, Map.of()));
		assertThat(dispatcher.dispatch()).isZero();
		assertThat(runs.require(queued.id()).status()).isEqualTo(RunStatus.QUEUED);

		environment.getPropertySources().remove(SOURCE);
		mvc.perform(get("/actuator/health"))
			.andExpect(jsonPath("$.components.homeDisk.status").value("UP"));
		dispatcher.dispatch();
		await().atMost(Duration.ofMinutes(1)).until(() -> runs.require(queued.id()).status() != RunStatus.QUEUED);
	}
}
