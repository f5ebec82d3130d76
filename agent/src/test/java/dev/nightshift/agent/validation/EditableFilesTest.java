package dev.nightshift.agent.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Editable globs follow java.nio glob rules, as the scheduler's do. */
class EditableFilesTest {

	@Test
	void starStaysInAFolderAndDoubleStarCrossesFolders() {
		assertThat(EditableFiles.notEditable(List.of("train.py", "eval.py"), List.of("train.py"))).containsExactly("eval.py");
		assertThat(EditableFiles.notEditable(List.of("model/gpt.py"), List.of("*.py"))).containsExactly("model/gpt.py");
		assertThat(EditableFiles.notEditable(List.of("model/gpt.py"), List.of("model/*.py"))).isEmpty();
		assertThat(EditableFiles.notEditable(List.of("model/layers/mlp.py"), List.of("model/*.py")))
			.containsExactly("model/layers/mlp.py");
		assertThat(EditableFiles.notEditable(List.of("model/layers/mlp.py"), List.of("model/**"))).isEmpty();
		assertThat(EditableFiles.notEditable(List.of("train.py"), List.of())).containsExactly("train.py");
		assertThat(EditableFiles.notEditable(List.of(), List.of())).isEmpty();
	}

	@Test
	void patchesAreNormalisedSoThatEqualPatchesCompareEqual() {
		assertThat(ProposalValidator.normalisePatch("-a\r\n+b")).isEqualTo("-a\n+b\n");
		assertThat(ProposalValidator.normalisePatch("  \n")).isNull();
	}
}
