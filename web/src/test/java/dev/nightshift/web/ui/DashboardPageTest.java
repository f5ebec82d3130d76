package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.dispatch.SlotBoard;
import dev.nightshift.scheduler.slot.Slot;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

@BrowserTest
class DashboardPageTest {

	@Autowired
	Seed seed;

	@Autowired
	LoopControl loops;

	@Autowired
	SlotBoard board;

	@Test
	void wrongPasswordKeepsThePersonOnTheLoginPageWithAnError(Browser browser) {
		browser.open("/login");
		browser.screenshot("login");
		browser.find("#username").sendKeys("admin");
		browser.find("#password").sendKeys("not the password");
		browser.find("form.login button[type=submit]").click();
		assertThat(browser.waitFor(".error").getText()).contains("Wrong username or password");
		assertThat(browser.location()).startsWith("/login");
	}

	@Test
	void dashboardShowsEachLoopsProgressAndWhatEverySlotRunsForHowLong(Browser browser) {
		Experiment experiment = seed.experiment();
		loops.start(new LoopControl.Start(experiment.id(), ApprovalPolicy.MANUAL,
				new StopConditions(Instant.now().plus(8, ChronoUnit.HOURS), 10, null, null), 2), "human:test");
		seed.finished(experiment, null, RunStatus.SUCCEEDED, 1.5);
		seed.finished(experiment, null, RunStatus.SUCCEEDED, 1.4);
		seed.finished(experiment, null, RunStatus.FAILED, null);
		Run running = seed.running(experiment, null);
		Slot slot = board.snapshot().keySet().iterator().next();
		board.occupy(List.of(slot), running.id());
		try {
			browser.signInAsAdmin().open("/");
			WebElement row = browser.waitFor("tr[data-experiment='" + experiment.id() + "']");
			assertThat(row.getText()).contains(experiment.name(), "minimize val_loss", "RUNNING", "manual",
					"3 / 10 runs", "until", "left");
			WebElement slotRow = browser.find("tr[data-slot='" + slot.id() + "']");
			assertThat(slotRow.getText()).contains("run #" + running.id(), "RUNNING", experiment.name());
			assertThat(slotRow.findElement(org.openqa.selenium.By.cssSelector("td.num")).getText()).matches("\\d+s|\\d+m \\d+s");
			browser.screenshot("dashboard");

			// The board refreshes itself: a freed slot shows idle without a reload.
			board.release(running.id());
			browser.until(d -> browser.find("tr[data-slot='" + slot.id() + "']").getText().contains("idle"));
		}
		finally {
			board.release(running.id());
			seed.finish(running, RunStatus.CANCELLED, null);
			loops.stop(experiment.id(), "human:test", "test over");
		}
	}
}
