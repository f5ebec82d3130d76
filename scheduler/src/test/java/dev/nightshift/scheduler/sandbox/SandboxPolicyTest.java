package dev.nightshift.scheduler.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightshift.scheduler.sandbox.SandboxPolicy.Isolation;
import org.junit.jupiter.api.Test;

class SandboxPolicyTest {

	static final SandboxSupport EVERYTHING = new SandboxSupport(true, true, "bubblewrap 0.8");

	static final SandboxSupport NOTHING = new SandboxSupport(false, false, "bubblewrap (bwrap) is not installed");

	static final SandboxSupport CONTAINMENT_ONLY = new SandboxSupport(false, true, "bubblewrap 0.8; the sandbox does not start");

	@Test
	void byDefaultOnlyRunsOfProposalCodeAreSandboxedAndTheRestContained() {
		SandboxPolicy policy = SandboxPolicy.defaults();

		assertThat(policy.required()).isTrue();
		assertThat(policy.decide(true, EVERYTHING)).isEqualTo(Isolation.SANDBOX);
		assertThat(policy.decide(false, EVERYTHING)).isEqualTo(Isolation.CONTAINED);
		assertThat(policy.decide(false, CONTAINMENT_ONLY)).isEqualTo(Isolation.CONTAINED);
		assertThat(policy.decide(false, NOTHING)).isEqualTo(Isolation.PLAIN);
	}

	@Test
	void proposalCodeWithoutTheSandboxIsRefusedWithTheFix() {
		assertThatThrownBy(() -> SandboxPolicy.defaults().decide(true, NOTHING))
				.isInstanceOf(SandboxUnavailableException.class)
				.hasMessage("the sandbox (bubblewrap) is not available; a run whose commit carries code from a proposal "
						+ "must run sandboxed. Install bubblewrap or set nightshift.sandbox.required=false.");
		assertThatThrownBy(() -> SandboxPolicy.defaults().decide(true, CONTAINMENT_ONLY))
				.isInstanceOf(SandboxUnavailableException.class);
	}

	@Test
	void sandboxingAllRunsCoversRunsOfTheImportedCode() {
		SandboxPolicy policy = new SandboxPolicy(true, true);

		assertThat(policy.decide(false, EVERYTHING)).isEqualTo(Isolation.SANDBOX);
		assertThatThrownBy(() -> policy.decide(false, NOTHING))
				.isInstanceOf(SandboxUnavailableException.class)
				.hasMessageContaining("every run must run sandboxed")
				.hasMessageContaining("nightshift.sandbox.required=false");
	}

	@Test
	void notRequiredRunsContainedOrPlainlyWhenTheSandboxIsMissing() {
		SandboxPolicy policy = new SandboxPolicy(true, false);

		assertThat(policy.decide(true, NOTHING)).isEqualTo(Isolation.PLAIN);
		assertThat(policy.decide(true, CONTAINMENT_ONLY)).isEqualTo(Isolation.CONTAINED);
		assertThat(policy.decide(false, NOTHING)).isEqualTo(Isolation.PLAIN);
		assertThat(policy.decide(true, EVERYTHING)).isEqualTo(Isolation.SANDBOX);
	}
}
