package dev.nightshift.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A run's log replaced by a link to a root-only file (what a run that could write its run directory would
 * do) is served neither by the API nor by the page's plain-text log, while a real log is.
 */
@WebIntegrationTest
class RunLogLinkTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Autowired
	RegisterExperiment register;

	@Autowired
	RunRepository runs;

	@Autowired
	NightshiftHome home;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void aLogThatIsALinkToARootOnlyFileIsNotServed() throws Exception {
		Path secret = Files.writeString(home.home().resolve("secret-" + UUID.randomUUID()), "root-only-secret\n");
		Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
		Run linked = runWithLog();
		Files.createSymbolicLink(runDir(linked).resolve("run.log"), secret);
		Run plain = runWithLog();
		Files.writeString(runDir(plain).resolve("run.log"), "step=1 loss=2.0\n");

		mvc.perform(get("/api/runs/" + plain.id() + "/log").with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(content().string("step=1 loss=2.0\n"));
		String api = mvc.perform(get("/api/runs/" + linked.id() + "/log").with(as.viewer()))
			.andExpect(status().isNotFound())
			.andReturn().getResponse().getContentAsString();
		mvc.perform(get("/runs/" + plain.id() + "/log").with(user("v").roles("VIEWER")))
			.andExpect(status().isOk())
			.andExpect(content().string("step=1 loss=2.0\n"));
		String page = mvc.perform(get("/runs/" + linked.id() + "/log").with(user("v").roles("VIEWER")))
			.andExpect(status().isNotFound())
			.andReturn().getResponse().getContentAsString();

		assertThat(api + page).doesNotContain("root-only-secret");
	}

	private Run runWithLog() throws Exception {
		Experiment experiment = register.register(new ExperimentSpecParser().parseYaml(Yaml.microGpt()), "human:test");
		// Finished at once, in one transaction, so that no dispatcher ever starts it.
		Run run = transactions.execute(tx -> {
			Run queued = runs.save(Run.queue(experiment.id(), null, RunKind.BASELINE, Map.of("lr", 0.003)));
			queued.claim("cpu-0", "", "system");
			queued.started(4242, null, "abc123", "system");
			queued.finish(RunStatus.FAILED, 1, null, null, null, "system");
			return runs.save(queued);
		});
		Files.createDirectories(runDir(run));
		return run;
	}

	private Path runDir(Run run) {
		return home.runsDirectory().resolve(run.id().toString());
	}
}
