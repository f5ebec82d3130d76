package dev.nightshift.scheduler.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TouchedFilesTest {

	@TempDir
	Path temp;

	GitFixture fixture;

	String base;

	@BeforeEach
	void setUp() {
		fixture = new GitFixture(temp);
		base = fixture.importedTrainPy();
	}

	@Test
	void diffTouchesTheFilesItChangesAddsAndDeletes() {
		String diff = PrepareRunTest.LR_DIFF + """
                diff --git a/README.md b/README.md
                deleted file mode 100644
                --- a/README.md
                +++ /dev/null
                @@ -1 +0,0 @@
                -# micro
                diff --git a/lib/util.py b/lib/util.py
                new file mode 100644
                --- /dev/null
                +++ b/lib/util.py
                @@ -0,0 +1 @@
                +x = 1
                """;

		assertThat(fixture.workspaces.touchedFiles(1, base, diff)).containsExactly("README.md", "lib/util.py", "train.py");
	}

	@Test
	void searchReplaceTouchesTheFilesItNames() {
		String patch = SearchReplacePatchTest.LR_BLOCK + "lib/new.py\n<<<<<<< SEARCH\n=======\nx = 1\n>>>>>>> REPLACE\n";

		assertThat(fixture.workspaces.touchedFiles(1, base, patch)).containsExactly("lib/new.py", "train.py");
	}

	@Test
	void touchedFilesCreatesNothingAndRejectsWhatDoesNotApply() {
		assertThat(fixture.workspaces.touchedFiles(1, base, null)).isEmpty();
		assertThatThrownBy(() -> fixture.workspaces.touchedFiles(1, base, SearchReplacePatchTest.LR_BLOCK.replace("0.01", "9")))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessageContaining("not found");
		assertThat(fixture.branches()).containsExactlyInAnyOrder("main", "nightshift/best");
		assertThat(fixture.runs).isEmptyDirectory();
	}

	@Test
	void editableGlobsFollowJavaGlobSemantics() {
		assertThat(Workspaces.onlyEditable(List.of("train.py"), List.of("train.py"))).isTrue();
		assertThat(Workspaces.onlyEditable(List.of("train.py", "eval.py"), List.of("train.py"))).isFalse();
		assertThat(Workspaces.onlyEditable(List.of("model/gpt.py"), List.of("*.py"))).isFalse();
		assertThat(Workspaces.onlyEditable(List.of("model/gpt.py"), List.of("model/*.py"))).isTrue();
		assertThat(Workspaces.onlyEditable(List.of("model/layers/mlp.py"), List.of("model/*.py"))).isFalse();
		assertThat(Workspaces.onlyEditable(List.of("model/layers/mlp.py"), List.of("model/**"))).isTrue();
		assertThat(Workspaces.onlyEditable(List.of("train.py", "model/gpt.py"), List.of("{*.py,**/*.py}"))).isTrue();
		assertThat(Workspaces.onlyEditable(List.of(), List.of())).isTrue();
		assertThat(Workspaces.onlyEditable(List.of("train.py"), List.of())).isFalse();
	}

	@Test
	void touchedFilesOfAPatchAreCheckedAgainstTheEditableGlobs() {
		String both = SearchReplacePatchTest.LR_BLOCK + "README.md\n<<<<<<< SEARCH\n# micro\n=======\n# big\n>>>>>>> REPLACE\n";

		assertThat(Workspaces.onlyEditable(fixture.workspaces.touchedFiles(1, base, SearchReplacePatchTest.LR_BLOCK),
				List.of("train.py"))).isTrue();
		assertThat(Workspaces.onlyEditable(fixture.workspaces.touchedFiles(1, base, both), List.of("train.py"))).isFalse();
	}
}
