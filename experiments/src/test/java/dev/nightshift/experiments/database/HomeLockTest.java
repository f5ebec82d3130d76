package dev.nightshift.experiments.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLockTest {

	@TempDir
	Path home;

	@Test
	void secondHolderIsRefusedWithAMessageNamingTheHomeAndTheFirstHolder() {
		try (HomeLock first = HomeLock.acquire(home)) {
			assertThatThrownBy(() -> HomeLock.acquire(home)).isInstanceOf(HomeInUseException.class)
				.hasMessageContaining("NIGHTSHIFT_HOME=" + home)
				.hasMessageContaining("pid " + ProcessHandle.current().pid());
		}
	}

	@Test
	void releasedLockCanBeTakenAgain() throws Exception {
		HomeLock.acquire(home).close();
		try (HomeLock again = HomeLock.acquire(home)) {
			assertThat(Files.readString(home.resolve("nightshift.lock"))).startsWith("pid ");
		}
	}
}
