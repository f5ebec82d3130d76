package dev.nightshift.scheduler.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightshift.scheduler.sandbox.SandboxPolicy.Isolation;
import org.junit.jupiter.api.Test;

class SandboxPolicyTest {

	@Test
	void byDefaultOnlyRunsWithAPatchAreSandboxed() {
		SandboxPolicy policy = SandboxPolicy.defaults();

		assertThat(policy.required()).isTrue();
		assertThat(policy.decide(true, true)).isEqualTo(Isolation.SANDBOX);
		assertThat(policy.decide(false, true)).isEqualTo(Isolation.PLAIN);
		assertThat(policy.decide(false, false)).isEqualTo(Isolation.PLAIN);
	}

	@Test
	void aPatchWithoutBubblewrapIsRefusedWithTheFix() {
		assertThatThrownBy(() -> SandboxPolicy.defaults().decide(true, false))
				.isInstanceOf(SandboxUnavailableException.class)
				.hasMessage("bubblewrap (bwrap) is not installed; a run whose proposal carries a patch must run "
						+ "sandboxed. Install bubblewrap or set nightshift.sandbox.required=false.");
	}

	@Test
	void sandboxingAllRunsCoversRunsWithoutAPatch() {
		SandboxPolicy policy = new SandboxPolicy(true, true);

		assertThat(policy.decide(false, true)).isEqualTo(Isolation.SANDBOX);
		assertThatThrownBy(() -> policy.decide(false, false))
				.isInstanceOf(SandboxUnavailableException.class)
				.hasMessageContaining("every run must run sandboxed")
				.hasMessageContaining("nightshift.sandbox.required=false");
	}

	@Test
	void notRequiredRunsPlainlyWhenBubblewrapIsMissing() {
		SandboxPolicy policy = new SandboxPolicy(true, false);

		assertThat(policy.decide(true, false)).isEqualTo(Isolation.PLAIN);
		assertThat(policy.decide(false, false)).isEqualTo(Isolation.PLAIN);
		assertThat(policy.decide(true, true)).isEqualTo(Isolation.SANDBOX);
	}
}
