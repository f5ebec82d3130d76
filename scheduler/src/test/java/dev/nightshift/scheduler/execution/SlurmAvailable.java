package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

/**
 * Whether a Slurm answers here ({@code .ci/slurm-up} starts a one-node one). In CI, which exports
 * {@code NIGHTSHIFT_TEST_SLURM=1}, a missing Slurm fails the tests; elsewhere they are skipped.
 */
final class SlurmAvailable {

	private SlurmAvailable() {
	}

	static void require() {
		boolean up = sinfoAnswers();
		if ("1".equals(System.getenv("NIGHTSHIFT_TEST_SLURM"))) {
			assertThat(up).as("NIGHTSHIFT_TEST_SLURM=1, but sinfo does not answer: is .ci/slurm-up run?").isTrue();
		}
		assumeTrue(up, "no Slurm here (run .ci/slurm-up as root to start a one-node one)");
	}

	private static boolean sinfoAnswers() {
		try {
			Process sinfo = new ProcessBuilder("sinfo", "--noheader").redirectErrorStream(true).start();
			return sinfo.waitFor(30, TimeUnit.SECONDS) && sinfo.exitValue() == 0;
		}
		catch (java.io.IOException noSlurm) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
