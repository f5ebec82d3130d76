package dev.nightshift.web.security;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Account management for admins: {@code /api/users}. */
@RestController
@RequestMapping("/api/users")
class AccountController {

	private final Accounts accounts;

	AccountController(Accounts accounts) {
		this.accounts = accounts;
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
}
