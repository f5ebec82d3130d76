package dev.nightshift.web.security;

import java.security.Principal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/account/password}: every account changes its own password, giving the old one. */
@RestController
class OwnPasswordController {

	private final AccountAdministration administration;

	OwnPasswordController(AccountAdministration administration) {
		this.administration = administration;
	}

	record PasswordChange(String oldPassword, String newPassword) {
	}

	@PostMapping("/api/account/password")
	ResponseEntity<Void> change(@RequestBody PasswordChange change, Principal user) {
		administration.changeOwnPassword(user.getName(), change.oldPassword(), change.newPassword());
		return ResponseEntity.noContent().build();
	}
}
