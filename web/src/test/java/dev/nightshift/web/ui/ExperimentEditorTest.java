package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;

/** The YAML editor: an admin registers an experiment and edits one in the browser, the server judging every rule. */
@BrowserTest
class ExperimentEditorTest {

	/** Replaces the editor's text as typing would, so the line numbers follow. */
	private static final String TYPE = """
			const text = document.querySelector('#spec');
			text.value = arguments[0];
			text.dispatchEvent(new Event('input'));
			""";

	/** A GET from the page with the person's session; answers the HTTP status. */
	static final String STATUS_OF = """
			const done = arguments[arguments.length - 1];
			fetch(arguments[0], {credentials: 'same-origin', redirect: 'manual'})
			  .then(response => done(response.status), error => done('failed: ' + error));
			""";

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Test
	void anAdminRegistersAnExperimentAfterFixingEveryRuleTheServerShowsBesideItsLine(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		browser.signInAsAdmin().open("/");
		browser.find("#nav-new-experiment").click();
		assertThat(browser.waitFor("#spec").getDomProperty("value")).contains("objective:", "parameters:", "brief:");

		String good = Yaml.microGpt();
		String name = good.lines().findFirst().orElseThrow().substring("name: ".length());
		// Line 5 breaks the budget, line 7 orders lr's range backwards, and a key nobody knows comes last (line 14).
		String broken = good.replace("budget: {run: 2m}", "budget: {run: soon}")
			.replace("min: 1.0e-4, max: 3.0e-2", "min: 3.0e-2, max: 1.0e-4") + "colour: blue\n";
		browser.script(TYPE, broken);
		browser.find("#spec-validate").click();

		browser.waitFor("#spec-errors");
		assertThat(browser.text("#spec-errors li[data-line='5']")).contains("budget.run");
		assertThat(browser.text("#spec-errors li[data-line='14']")).contains("colour", "unknown-key");
		assertThat(browser.findAll("#spec-errors li[data-line='7']")).isNotEmpty();
		assertThat(browser.findAll(".gutter .bad")).extracting(e -> e.getText()).contains("5", "7", "14");
		assertThat(experiments.findByName(name)).isEmpty();
		browser.screenshot("experiment-editor-errors");

		// A click on an error selects its line in the editor.
		browser.find("#spec-errors li[data-line='14'] a.at").click();
		assertThat(browser.script("const t = document.querySelector('#spec');"
				+ " return t.value.substring(t.selectionStart, t.selectionEnd)")).isEqualTo("colour: blue");

		browser.script(TYPE, good);
		browser.find("#spec-validate").click();
		assertThat(browser.waitFor("#spec-valid").getText()).contains("Valid", name);
		assertThat(browser.has("#spec-errors")).isFalse();
		browser.screenshot("experiment-editor-valid");

		browser.find("#spec-save").click();
		browser.waitForText(".notice", "Registered experiment " + name);
		assertThat(browser.location()).matches("/experiments/[0-9]+");
		assertThat(experiments.findByName(name)).isPresent();
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void tabIndentsInTheEditorEscapeLeavesItAndTheShortcutsStayQuietWhileTyping(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		browser.signInAsAdmin().open("/admin/experiments/new");
		browser.script(TYPE, "name: x\n");
		browser.find("#spec").click();
		browser.script("const t = document.querySelector('#spec'); t.setSelectionRange(t.value.length, t.value.length)");
		browser.press(Keys.TAB, "jka");
		assertThat(browser.find("#spec").getDomProperty("value")).isEqualTo("name: x\n  jka");
		assertThat(browser.location()).isEqualTo("/admin/experiments/new");
		browser.press(Keys.ESCAPE, Keys.TAB);
		assertThat(browser.focused().getAttribute("id")).isNotEqualTo("spec");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void anAdminChangesTheBriefInPlaceAndAChangedSearchSpaceBecomesANewVersion(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		Experiment experiment = seed.experiment();
		browser.signInAsAdmin().open("/experiments/" + experiment.id());
		browser.find("#edit-experiment").click();
		String shown = browser.waitFor("#spec").getDomProperty("value");
		assertThat(shown).contains("name: " + experiment.name(), "Lower val_loss.");

		browser.script(TYPE, shown.replace("Lower val_loss.", "Lower val_loss, gently.").replace("run: 2m", "run: 3m"));
		browser.find("#spec-validate").click();
		assertThat(browser.waitFor("#spec-valid").getText()).contains("in place");
		browser.screenshot("experiment-editor-edit");
		browser.find("#spec-save").click();
		browser.waitForText(".notice", "Saved the brief, budget and noise settings of " + experiment.name());
		Experiment edited = experiments.findById(experiment.id().value()).orElseThrow();
		assertThat(edited.spec().brief()).contains("gently");
		assertThat(edited.spec().budget().run()).hasMinutes(3);

		browser.find("#edit-experiment").click();
		String again = browser.waitFor("#spec").getDomProperty("value");
		assertThat(again).contains("max: 64");
		browser.script(TYPE, again.replace("max: 64", "max: 128"));
		browser.find("#spec-validate").click();
		assertThat(browser.waitFor("#spec-valid").getText()).contains("new version");
		browser.find("#spec-save").click();
		browser.waitForText(".notice", "Registered " + experiment.name() + "-v2, a new version of " + experiment.name());

		Experiment v2 = experiments.findByName(experiment.name() + "-v2").orElseThrow();
		assertThat(browser.location()).isEqualTo("/experiments/" + v2.id());
		assertThat(browser.text("#versions")).contains(experiment.name() + " → " + experiment.name() + "-v2");
		assertThat(v2.previousId()).contains(experiment.id());
		assertThat(v2.spec().parameters().get("n_embd").toString()).contains("128");
		assertThat(experiments.findById(experiment.id().value()).orElseThrow().spec().parameters().get("n_embd")
			.toString()).contains("64");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aReviewerCannotReachTheEditorAndAViewerSeesNoLinkToIt(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		Experiment experiment = seed.experiment();
		accounts.reviewer();
		browser.signIn("test-reviewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());
		assertThat(browser.has("#edit-experiment")).isFalse();
		assertThat(browser.has("#nav-new-experiment")).isFalse();
		assertThat(browser.consoleErrors()).isEmpty();
		// From here on the browser logs each refused request (403) as a console error, as it should.
		assertThat(browser.asyncScript(STATUS_OF, "/admin/experiments/new")).isEqualTo(403L);
		assertThat(browser.asyncScript(STATUS_OF, "/admin/experiments/" + experiment.id() + "/edit")).isEqualTo(403L);

		accounts.viewer();
		browser.signedOut().signIn("test-viewer", TestAccounts.PASSWORD).open("/");
		assertThat(browser.has("#register")).isFalse();
		assertThat(browser.has("#nav-new-experiment")).isFalse();
		assertThat(browser.asyncScript(ViewerTest.FORGED_POST, "/admin/experiments/new", "action=save&spec=name")).isEqualTo(403L);
	}
}
