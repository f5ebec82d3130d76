package dev.nightshift.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class RememberingPasswordEncoderTest {

	private final AtomicInteger bcryptChecks = new AtomicInteger();
	private final PasswordEncoder bcrypt = PasswordEncoderFactories.createDelegatingPasswordEncoder();
	private final PasswordEncoder counting = new PasswordEncoder() {
		@Override
		public String encode(CharSequence raw) {
			return bcrypt.encode(raw);
		}

		@Override
		public boolean matches(CharSequence raw, String encoded) {
			bcryptChecks.incrementAndGet();
			return bcrypt.matches(raw, encoded);
		}
	};
	private Instant now = Instant.parse("2026-11-26T12:00:00Z");
	private final RememberingPasswordEncoder encoder = new RememberingPasswordEncoder(counting, new Clock() {
		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}
	});

	@Test
	void aMatchIsCheckedOnceAndThenRemembered() {
		String hash = encoder.encode("correct horse");

		assertThat(encoder.matches("correct horse", hash)).isTrue();
		assertThat(encoder.matches("correct horse", hash)).isTrue();
		assertThat(encoder.matches("correct horse", hash)).isTrue();

		assertThat(bcryptChecks).hasValue(1);
	}

	@Test
	void aWrongPasswordIsCheckedEveryTimeAndNeverRemembered() {
		String hash = encoder.encode("correct horse");
		encoder.matches("correct horse", hash);

		assertThat(encoder.matches("wrong horse", hash)).isFalse();
		assertThat(encoder.matches("wrong horse", hash)).isFalse();

		assertThat(bcryptChecks).hasValue(3);
	}

	@Test
	void aChangedPasswordHashIsCheckedAfresh() {
		String old = encoder.encode("correct horse");
		String changed = encoder.encode("battery staple");
		encoder.matches("correct horse", old);

		assertThat(encoder.matches("correct horse", changed)).isFalse();
		assertThat(encoder.matches("battery staple", changed)).isTrue();
		assertThat(bcryptChecks).hasValue(3);
	}

	@Test
	void aRememberedMatchExpires() {
		String hash = encoder.encode("correct horse");
		encoder.matches("correct horse", hash);

		now = now.plus(RememberingPasswordEncoder.REMEMBER_FOR).plusSeconds(1);

		assertThat(encoder.matches("correct horse", hash)).isTrue();
		assertThat(bcryptChecks).hasValue(2);
	}
}
