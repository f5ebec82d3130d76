package dev.nightshift.scheduler.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PatchFormatTest {

	@Test
	void gitDiffAndPlainDiffAreUnifiedDiffs() {
		assertThat(PatchFormat.of(PrepareRunTest.LR_DIFF)).isEqualTo(PatchFormat.UNIFIED_DIFF);
		assertThat(PatchFormat.of("--- train.py\n+++ train.py\n@@ -1 +1 @@\n-a\n+b\n")).isEqualTo(PatchFormat.UNIFIED_DIFF);
	}

	@Test
	void editBlocksAreSearchReplace() {
		assertThat(PatchFormat.of(SearchReplacePatchTest.LR_BLOCK)).isEqualTo(PatchFormat.SEARCH_REPLACE);
	}

	@Test
	void diffOfAFileThatContainsEditMarkersIsStillADiff() {
		String diff = "--- a/notes.md\n+++ b/notes.md\n@@ -1,2 +1,2 @@\n <<<<<<< SEARCH\n-old\n+new\n";

		assertThat(PatchFormat.of(diff)).isEqualTo(PatchFormat.UNIFIED_DIFF);
	}

	@Test
	void proseIsNeither() {
		assertThatThrownBy(() -> PatchFormat.of("Please raise the learning rate.\n--- end"))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessageContaining("not a unified diff");
	}
}
