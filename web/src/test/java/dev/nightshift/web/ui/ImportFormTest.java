package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.importer.AutoresearchFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The home page's form: an admin reviews an autoresearch repository's specification, then imports it. */
@BrowserTest
class ImportFormTest {

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	TestAccounts accounts;

	@TempDir
	Path dir;

	@Test
	void anAdminReviewsTheSpecificationThenImportsTheRepositoryWithItsHistory(Browser browser) throws Exception {
		Path repo = AutoresearchFixture.create(dir, "autoresearch-form");
		browser.signInAsAdmin().open("/");
		browser.find("#import-path").sendKeys(repo.toString());
		browser.find("#import-review").click();

		browser.waitFor("#import-spec");
		assertThat(browser.text("#import-history")).contains("4 run(s)", "2 kept", "1 discarded", "1 crashed",
				"1 of their commits found");
		String spec = browser.find("#import-spec").getDomProperty("value");
		assertThat(spec).contains("\"command\" : \"uv run train.py\"", "\"metric\" : \"val_bpb\"");
		// The person corrects what was read: this machine has no uv.
		browser.script("arguments[0].value = arguments[0].value.replace('uv run train.py', 'python3 train.py')",
				browser.find("#import-spec"));
		browser.find("#import-save").click();

		browser.waitForText(".notice", "Imported autoresearch-form with 4 run(s) of history.");
		assertThat(browser.location()).matches(".*/experiments/[0-9]+");
		assertThat(experiments.findAll()).filteredOn(e -> e.name().equals("autoresearch-form")).singleElement()
			.satisfies(e -> assertThat(e.spec().command()).isEqualTo("python3 train.py"));
	}

	@Test
	void aRepositoryWithoutProgramMdIsRefusedOnTheHomePageAndAViewerSeesNoForm(Browser browser) {
		browser.signInAsAdmin().open("/");
		browser.find("#import-path").sendKeys(dir.toString());
		browser.find("#import-review").click();
		assertThat(browser.waitFor(".problem").getText()).contains("no program.md");

		accounts.viewer();
		browser.signIn("test-viewer", TestAccounts.PASSWORD).open("/");
		assertThat(browser.has("#import")).isFalse();
	}
}
