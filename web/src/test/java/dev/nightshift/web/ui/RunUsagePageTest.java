package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A real run on the test server's CPU slot: the dashboard shows the slot's load beside the run while it trains,
 * and the run page and the runs table show what it used, as a VIEWER sees them.
 */
@BrowserTest
class RunUsagePageTest {

	@Autowired
	RegisterExperiment register;

	@Autowired
	SubmitProposal submit;

	@Autowired
	DecideProposal decide;

	@Autowired
	RunRepository runs;

	@Autowired
	RunUsages usages;

	@Autowired
	TestAccounts accounts;

	@TempDir
	Path source;

	@Test
	void theDashboardShowsTheSlotsLoadBesideItsRunAndTheRunPageAndTableWhatTheRunUsed(Browser browser)
			throws Exception {
		accounts.viewer();
		Path gate = Files.createDirectories(Path.of("target", "gates").toAbsolutePath()).resolve("usage-" + UUID.randomUUID());
		// A child holding 64 MiB resident, and the shell spinning on a core, until the test opens the gate.
		Files.writeString(source.resolve("train.sh"), """
				/usr/bin/python3 -c "
				import os, time
				b = bytearray(64 << 20)
				for i in range(0, len(b), 4096): b[i] = 1
				while not os.path.exists('%1$s'): time.sleep(0.05)
				" &
				while [ ! -f '%1$s' ]; do :; done
				wait
				echo 'val_loss: 1.0'
				""".formatted(gate));
		Experiment experiment = register.register(new ExperimentSpecParser().parseYaml("""
				name: usage-%s
				source: %s
				command: sh train.sh
				editable: [train.sh]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 3m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				resources: {gpus: 0}
				""".formatted(UUID.randomUUID().toString().substring(0, 8), source)), "human:test");
		Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(), null, "Does it train?",
				new ProposalContent(Map.of("lr", 0.01), null, "a test", null), "human:test"));
		decide.approve(proposal.id(), "human:test");
		Run run = await().atMost(Duration.ofMinutes(3)).until(() -> runOf(proposal),
				r -> r != null && r.status() == RunStatus.RUNNING);
		String slot = run.slot().orElseThrow();
		try {
			browser.signIn("test-viewer", TestAccounts.PASSWORD).open("/");
			browser.consoleErrors();
			String row = "tr[data-slot='" + slot + "']";
			browser.until(d -> {
				String text = browser.find(row).getText();
				return text.contains("run #" + run.id()) && text.matches("(?s).*\\d+ % · \\d+ MiB.*") ? text : null;
			});
			assertThat(browser.find(row + " td.load progress").getAttribute("value")).isNotBlank();
			browser.screenshot("dashboard-slot-load");

			browser.open("/runs/" + run.id());
			assertThat(browser.waitFor("#usage").getText()).contains("CPU", "% of one core on average");
			assertThat(browser.find("#usage").getAttribute("data-kind")).isEqualTo("CPU");
		}
		finally {
			Files.createFile(gate);
		}
		await().atMost(Duration.ofMinutes(2)).until(() -> runs.require(run.id()).status().isFinished());
		RunUsage stored = await().atMost(Duration.ofMinutes(1)).until(() -> usages.of(run.id()).orElse(null),
				usage -> usage != null && usage.memoryPeakMb() != null && usage.memoryPeakMb() >= 64);
		assertThat(stored.kind()).isEqualTo(RunUsage.CPU);

		browser.open("/runs/" + run.id());
		String usage = browser.waitForText("#usage", "resident memory").getText();
		assertThat(usage).contains("CPU", "% at peak", "samples)").containsPattern("resident memory \\d+ MiB at peak");
		browser.screenshot("run-usage");

		browser.open("/experiments/" + experiment.id());
		String cell = browser.waitFor("tr[data-run='" + run.id() + "'] td.usage").getText();
		assertThat(cell).matches("CPU \\d+ / \\d+ % · \\d+ MiB");
		browser.screenshot("runs-table-usage");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	private Run runOf(Proposal proposal) {
		return runs.findAll().stream()
			.filter(r -> r.proposalId().map(proposal.id()::equals).orElse(false))
			.findFirst()
			.orElse(null);
	}
}
