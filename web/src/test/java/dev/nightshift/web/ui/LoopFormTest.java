package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

@BrowserTest
class LoopFormTest {

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	LoopRepository loops;

	@Test
	void reviewerStartsPausesResumesAndStopsTheLoopFromTheExperimentPage(Browser browser) {
		accounts.reviewer();
		Experiment experiment = seed.experiment();
		browser.signIn("test-reviewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());
		assertThat(browser.text("#loop")).contains("No loop has run on this experiment.");

		new Select(browser.find("#loop-start select[name=policy]")).selectByValue("params-auto");
		browser.find("#loop-start input[name=maxRuns]").sendKeys("20");
		// A date input takes typed digits in the browser's locale order; setting its value is what a picker does.
		browser.script("arguments[0].value = '2099-01-02T06:30'", browser.find("#loop-start input[name=until]"));
		browser.find("#loop-start input[name=lookahead]").clear();
		browser.find("#loop-start input[name=lookahead]").sendKeys("3");
		browser.find("#loop-start button[type=submit]").click();

		browser.waitForText(".notice", "Loop started (params-auto).");
		assertThat(browser.text("#loop-status")).isEqualTo("RUNNING");
		assertThat(browser.text("#loop")).contains("params-auto", "lookahead 3", " / 20 runs", "until 2099-01-02 06:30");
		Loop loop = loops.findActive(experiment.id().value()).orElseThrow();
		assertThat(loop.policy()).isEqualTo(ApprovalPolicy.PARAMS_AUTO);
		assertThat(loop.lookahead()).isEqualTo(3);
		assertThat(loop.stopConditions().maxRuns()).isEqualTo(20);
		assertThat(loop.stopConditions().until())
			.isEqualTo(LocalDateTime.parse("2099-01-02T06:30").atZone(ZoneId.of(Chromium.TIME_ZONE)).toInstant());
		assertThat(browser.has("#loop-start")).isFalse();
		browser.screenshot("loop-running");

		browser.find("#loop-pause").click();
		browser.until(d -> browser.text("#loop-status").equals("PAUSED"));
		browser.find("#loop-resume").click();
		browser.until(d -> browser.text("#loop-status").equals("RUNNING"));
		browser.find("#loop input[name=reason]").sendKeys("enough for tonight");
		browser.find("#loop-stop").click();
		browser.until(d -> browser.text("#loop-status").equals("STOPPED"));
		assertThat(browser.text("#loop")).contains("Ended: enough for tonight");
		assertThat(browser.has("#loop-start")).isTrue();
		assertThat(loops.findById(loop.id().value()).orElseThrow().status()).isEqualTo(LoopStatus.STOPPED);

		browser.open("/");
		assertThat(browser.text("tr[data-experiment='" + experiment.id() + "']")).contains("STOPPED", "enough for tonight");
	}

	@Test
	void aLoopUntilAPastTimeIsRefusedWithTheRuleInWords(Browser browser) {
		Experiment experiment = seed.experiment();
		browser.signInAsAdmin().open("/experiments/" + experiment.id());
		browser.script("arguments[0].value = '2001-01-01T06:00'", browser.find("#loop-start input[name=until]"));
		browser.find("#loop-start button[type=submit]").click();
		assertThat(browser.waitFor(".problem").getText()).contains("until lies in the past");
		assertThat(loops.findActive(experiment.id().value())).isEmpty();
	}
}
