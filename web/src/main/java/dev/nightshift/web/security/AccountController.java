package dev.nightshift.web.security;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import dev.nightshift.experiments.shared.InvalidRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Account management for admins: {@code /api/users}: create, list, enable or disable, change the role, reset the password. */
@RestController
@RequestMapping("/api/users")
class AccountController {

	private final Accounts accounts;
	private final AccountAdministration administration;

	AccountController(Accounts accounts, AccountAdministration administration) {
		this.accounts = accounts;
		this.administration = administration;
	}

	/** A new account; the password is hashed and never returned. */
	record NewAccount(String username, String password, Role role) {
	}

	@PostMapping
	ResponseEntity<Accounts.Account> create(@RequestBody NewAccount request, Principal admin) {
		Accounts.Account account = accounts.create(request.username(), request.password(), request.role(),
				"human:" + admin.getName());
		return ResponseEntity.created(URI.create("/api/users/" + account.id())).body(account);
	}

	@GetMapping
	List<Accounts.Account> list() {
		return accounts.list();
	}

	/** What an admin may change of another account; an absent field stays as it is. */
	record AccountChange(Boolean enabled, Role role) {
	}

	@PatchMapping("/{id}")
	Accounts.Account change(@PathVariable long id, @RequestBody AccountChange change, Principal admin) {
		Accounts.Account account = null;
		if (change.role() != null) {
			account = administration.setRole(id, change.role(), admin.getName());
		}
		if (change.enabled() != null) {
			account = administration.setEnabled(id, change.enabled(), admin.getName());
		}
		if (account == null) {
			throw new InvalidRequestException("enabled", "required", "give enabled, role or both");
		}
		return account;
	}

	/** A reset password, answered this once. */
	record NewPassword(String password) {
	}

	@PostMapping("/{id}/password")
	NewPassword resetPassword(@PathVariable long id) {
		return new NewPassword(administration.resetPassword(id));
	}
}
