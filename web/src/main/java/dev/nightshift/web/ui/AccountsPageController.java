package dev.nightshift.web.ui;

import java.security.Principal;
import java.util.function.Supplier;

import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.web.security.AccountAdministration;
import dev.nightshift.web.security.Accounts;
import dev.nightshift.web.security.Role;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The accounts page ({@code /admin/accounts}, ADMIN: list, create, disable or enable, change the role, reset the
 * password, shown once) and everyone's own page ({@code /account}: change the password, giving the old one).
 * Each form posts with its CSRF token and calls the same services as {@code /api/users}; a broken rule comes
 * back as a message on the page.
 */
@Controller
class AccountsPageController {

	private final Accounts accounts;
	private final AccountAdministration administration;

	AccountsPageController(Accounts accounts, AccountAdministration administration) {
		this.accounts = accounts;
		this.administration = administration;
	}

	@GetMapping("/admin/accounts")
	String accounts(Model model, Principal admin) {
		model.addAttribute("accounts", accounts.list());
		model.addAttribute("roles", Role.values());
		model.addAttribute("me", admin.getName());
		return "accounts";
	}

	@PostMapping("/admin/accounts")
	String create(@RequestParam String username, @RequestParam String password, @RequestParam(required = false) Role role,
			Principal admin, RedirectAttributes flash) {
		return act(flash, "/admin/accounts", () -> {
			Accounts.Account created = accounts.create(username, password, role, "human:" + admin.getName());
			return "Created " + created.username() + " (" + created.role() + ").";
		});
	}

	@PostMapping("/admin/accounts/{id}/enabled")
	String enable(@PathVariable long id, @RequestParam boolean enabled, Principal admin, RedirectAttributes flash) {
		return act(flash, "/admin/accounts", () -> {
			Accounts.Account account = administration.setEnabled(id, enabled, admin.getName());
			return (enabled ? "Enabled " : "Disabled ") + account.username() + ".";
		});
	}

	@PostMapping("/admin/accounts/{id}/role")
	String role(@PathVariable long id, @RequestParam(required = false) Role role, Principal admin,
			RedirectAttributes flash) {
		return act(flash, "/admin/accounts", () -> {
			Accounts.Account account = administration.setRole(id, role, admin.getName());
			return account.username() + " is now " + account.role() + ".";
		});
	}

	@PostMapping("/admin/accounts/{id}/password")
	String reset(@PathVariable long id, RedirectAttributes flash) {
		return act(flash, "/admin/accounts", () -> {
			String username = accounts.list().stream().filter(a -> a.id() == id).findFirst()
				.map(Accounts.Account::username)
				.orElseThrow(() -> new NotFoundException("account", id));
			flash.addFlashAttribute("once", new OncePassword(username, administration.resetPassword(id)));
			return "Reset the password of " + username + ".";
		});
	}

	/** A reset password, in the flash of one page view only. */
	record OncePassword(String username, String password) {
	}

	@GetMapping("/account")
	String own(Model model, Principal user) {
		model.addAttribute("account", accounts.find(user.getName()).orElse(null));
		model.addAttribute("me", user.getName());
		return "account";
	}

	@PostMapping("/account/password")
	String changeOwn(@RequestParam String oldPassword, @RequestParam String newPassword, @RequestParam String repeat,
			Principal user, RedirectAttributes flash) {
		return act(flash, "/account", () -> {
			if (!newPassword.equals(repeat)) {
				throw new InvalidRequestException("repeat", "mismatch", "the new password and its repetition differ");
			}
			administration.changeOwnPassword(user.getName(), oldPassword, newPassword);
			return "Your password is changed.";
		});
	}

	private static String act(RedirectAttributes flash, String back, Supplier<String> action) {
		try {
			flash.addFlashAttribute("notice", action.get());
		}
		catch (InvalidRequestException | ConflictException | NotFoundException ex) {
			flash.addFlashAttribute("problem", ex.getMessage());
		}
		return "redirect:" + back;
	}
}
