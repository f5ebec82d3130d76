package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.security.AccountAdministration;
import dev.nightshift.web.security.Accounts;
import dev.nightshift.web.security.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** The accounts page (ADMIN) and everyone's own password, in Chromium. */
@BrowserTest
class AccountsPageTest {

	@Autowired
	Accounts accounts;

	@Autowired
	AccountAdministration administration;

	@Autowired
	TestAccounts testAccounts;

	@Test
	void anAdminCreatesAnAccountChangesItsRoleResetsItsPasswordShownOnceAndDisablesIt(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		String name = "ivy-" + System.nanoTime();
		browser.signInAsAdmin().open("/");
		browser.find("#nav-accounts").click();
		browser.waitFor("#new-username").sendKeys(name);
		browser.find("#new-password").sendKeys("ivy's first password");
		new Select(browser.find("#new-role")).selectByValue("REVIEWER");
		browser.find("#create-account").click();
		browser.waitForText(".notice", "Created " + name + " (REVIEWER).");
		String row = "tr[data-account='" + name + "']";

		new Select(browser.find(row + " select[name=role]")).selectByValue("VIEWER");
		browser.find(row + " [data-action=role]").click();
		browser.waitForText(".notice", name + " is now VIEWER.");
		assertThat(accounts.find(name).orElseThrow().role()).isEqualTo(Role.VIEWER);

		browser.find(row + " [data-action=reset]").click();
		String password = browser.waitFor("#once-password code").getText();
		assertThat(password).hasSizeGreaterThanOrEqualTo(20);
		browser.screenshot("accounts-password-shown-once");
		browser.open("/admin/accounts");
		assertThat(browser.has("#once-password")).isFalse();
		assertThat(browser.text("#account-list")).doesNotContain(password);

		browser.signedOut().signIn(name, password);
		assertThat(browser.text("header.top .who")).contains(name, "viewer · read only");
		assertThat(browser.consoleErrors()).isEmpty();

		browser.signedOut().signInAsAdmin().open("/admin/accounts");
		browser.find(row + " [data-action=toggle]").click();
		browser.waitForText(".notice", "Disabled " + name + ".");
		assertThat(browser.text(row + " [data-field=state]")).isEqualTo("disabled");
		browser.screenshot("accounts");

		browser.signedOut().open("/login");
		browser.find("#username").sendKeys(name);
		browser.find("#password").sendKeys(password);
		browser.find("form.login button[type=submit]").click();
		browser.waitFor("p.error");
		assertThat(browser.location()).startsWith("/login");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aSessionEndsAtTheNextClickOnceItsAccountIsDisabled(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		Accounts.Account jo = accounts.create("jo-" + System.nanoTime(), "jo's password here", Role.REVIEWER, "system");
		browser.signIn(jo.username(), "jo's password here").open("/");
		assertThat(browser.text("header.top .who")).contains(jo.username());

		administration.setEnabled(jo.id(), false, "admin");
		browser.open("/");
		browser.waitFor("#session-ended");
		assertThat(browser.location()).startsWith("/login");
		browser.open("/");
		assertThat(browser.location()).startsWith("/login");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void everyoneChangesTheirOwnPasswordGivingTheOldOne(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		Accounts.Account kim = accounts.create("kim-" + System.nanoTime(), "kim's old password", Role.VIEWER, "system");
		browser.signIn(kim.username(), "kim's old password");
		browser.find("#nav-account").click();

		browser.waitFor("#old-password").sendKeys("not the password");
		browser.find("#new-password").sendKeys("kim's new password");
		browser.find("#repeat-password").sendKeys("kim's new password");
		browser.find("#change-password").click();
		assertThat(browser.waitFor(".problem").getText()).contains("the current password is not right");

		browser.find("#old-password").sendKeys("kim's old password");
		browser.find("#new-password").sendKeys("kim's new password");
		browser.find("#repeat-password").sendKeys("kim's new password");
		browser.find("#change-password").click();
		browser.waitForText(".notice", "Your password is changed.");
		browser.screenshot("account-password-changed");

		browser.signedOut().signIn(kim.username(), "kim's new password");
		assertThat(browser.text("header.top .who")).contains(kim.username());
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aReviewerCannotReachTheAccountsPageAndAViewerIsRefusedEveryAccountAction(Browser browser) {
		browser.consoleErrors(); // what earlier tests left in the shared browser
		long admin = accounts.find("admin").orElseThrow().id();
		testAccounts.reviewer();
		browser.signIn("test-reviewer", TestAccounts.PASSWORD).open("/");
		assertThat(browser.has("#nav-accounts")).isFalse();
		assertThat(browser.consoleErrors()).isEmpty();
		// From here on the browser logs each refused request (403) as a console error, as it should.
		assertThat(browser.asyncScript(ExperimentEditorTest.STATUS_OF, "/admin/accounts")).isEqualTo(403L);
		assertThat(browser.asyncScript(ViewerTest.FORGED_POST, "/admin/accounts/" + admin + "/password", "x=1"))
			.isEqualTo(403L);

		testAccounts.viewer();
		browser.signedOut().signIn("test-viewer", TestAccounts.PASSWORD).open("/");
		assertThat(browser.has("#nav-accounts")).isFalse();
		assertThat(browser.has("#manage-accounts")).isFalse();
		browser.consoleErrors();
		assertThat(browser.asyncScript(ViewerTest.FORGED_POST, "/admin/accounts",
				"username=mallory&password=long+enough+password&role=ADMIN")).isEqualTo(403L);
		assertThat(browser.asyncScript(ViewerTest.FORGED_POST, "/admin/accounts/" + admin + "/enabled", "enabled=false"))
			.isEqualTo(403L);
		assertThat(browser.asyncScript(ViewerTest.FORGED_POST, "/admin/accounts/" + admin + "/role", "role=VIEWER"))
			.isEqualTo(403L);
		assertThat(accounts.find("mallory")).isEmpty();
		assertThat(accounts.find("admin").orElseThrow().enabled()).isTrue();
	}
}
