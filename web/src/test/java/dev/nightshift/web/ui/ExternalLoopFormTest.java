package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** The experiment page starts a loop whose proposals come from an agent over MCP. */
@BrowserTest
class ExternalLoopFormTest {

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	LoopRepository loops;

	@Test
	void aReviewerStartsALoopDrivenByAnExternalAgent(Browser browser) {
		accounts.reviewer();
		Experiment experiment = seed.experiment();
		browser.signIn("test-reviewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());
		new Select(browser.find("#loop-start select[name=policy]")).selectByValue("manual");
		new Select(browser.find("#loop-start select[name=proposer]")).selectByValue("external");
		browser.find("#loop-start button[type=submit]").click();

		browser.waitForText(".notice", "Loop started (manual, proposals from an agent over MCP).");
		Loop loop = loops.findActive(experiment.id().value()).orElseThrow();
		assertThat(loop.external()).isTrue();
		browser.find("#loop-stop").click();
		browser.until(d -> browser.text("#loop-status").equals("STOPPED"));
	}
}
