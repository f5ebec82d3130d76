package dev.nightshift.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Every state Slurm documents for a job has a meaning for the run, and an unknown one never ends it. */
class JobStateTest {

	/** The job states of squeue's and scontrol's long form, as Slurm 22.05 documents them. */
	private static final List<String> SLURM_STATES = List.of("BOOT_FAIL", "CANCELLED", "COMPLETED", "CONFIGURING",
			"COMPLETING", "DEADLINE", "FAILED", "NODE_FAIL", "OUT_OF_MEMORY", "PENDING", "PREEMPTED", "RUNNING",
			"RESV_DEL_HOLD", "REQUEUE_FED", "REQUEUE_HOLD", "REQUEUED", "RESIZING", "REVOKED", "SIGNALING",
			"SPECIAL_EXIT", "STAGE_OUT", "STOPPED", "SUSPENDED", "TIMEOUT");

	@Test
	void everyDocumentedStateIsKnownAndEveryEndStateMapsToAnOutcome() {
		assertThat(SLURM_STATES).allSatisfy(state -> assertThat(JobState.parse(state).name()).isEqualTo(state));
		assertThat(Arrays.stream(JobState.values()).map(Enum::name).filter(name -> !name.equals("VANISHED")))
			.containsExactlyInAnyOrderElementsOf(SLURM_STATES);

		Map<String, JobState.End> ends = Map.ofEntries(Map.entry("COMPLETED", JobState.End.BY_FILES),
				Map.entry("FAILED", JobState.End.BY_FILES), Map.entry("SPECIAL_EXIT", JobState.End.BY_FILES),
				Map.entry("CANCELLED", JobState.End.CANCELLED), Map.entry("TIMEOUT", JobState.End.TIMED_OUT),
				Map.entry("DEADLINE", JobState.End.TIMED_OUT), Map.entry("OUT_OF_MEMORY", JobState.End.OUT_OF_MEMORY),
				Map.entry("NODE_FAIL", JobState.End.LOST), Map.entry("PREEMPTED", JobState.End.LOST),
				Map.entry("BOOT_FAIL", JobState.End.LOST), Map.entry("REVOKED", JobState.End.LOST),
				Map.entry("VANISHED", JobState.End.BY_FILES_OR_LOST));
		for (JobState state : JobState.values()) {
			assertThat(state.end()).as(state.name())
				.isEqualTo(ends.getOrDefault(state.name(), JobState.End.ACTIVE));
		}
	}

	@Test
	void aStateWithSlurmsReasonAttachedIsReadAndAnUnknownOneKeepsTheRunActive() {
		assertThat(JobState.parse("CANCELLED by 0")).isEqualTo(JobState.CANCELLED);
		assertThat(JobState.parse("completed")).isEqualTo(JobState.COMPLETED);
		assertThat(JobState.parse("SOME_FUTURE_STATE").active()).isTrue();
	}
}
