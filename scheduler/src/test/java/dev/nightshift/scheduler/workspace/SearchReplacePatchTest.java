package dev.nightshift.scheduler.workspace;

import static dev.nightshift.scheduler.workspace.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchReplacePatchTest {

	static final String LR_BLOCK = """
            train.py
            <<<<<<< SEARCH
            lr = 0.01
            =======
            lr = 0.02
            >>>>>>> REPLACE
            """;

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
	void singleBlockReplacesTheTextItFinds() {
		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, LR_BLOCK);

		assertThat(fixture.show(run.commit(), "train.py"))
				.isEqualTo(GitFixture.TRAIN_PY.replace("lr = 0.01", "lr = 0.02"));
		assertThat(git(fixture.repo(1), "log", "-1", "--format=%s|%P", run.commit()).strip()).isEqualTo("Run 7|" + base);
	}

	@Test
	void severalBlocksOnSeveralFilesApplyInOrderEvenInsideCodeFences() {
		String patch = """
                First the learning rate and the steps.

                `train.py`
                ```python
                <<<<<<< SEARCH
                lr = 0.01
                =======
                lr = 0.03
                >>>>>>> REPLACE
                ```

                ```python
                <<<<<<< SEARCH
                lr = 0.03
                steps = 100
                =======
                lr = 0.03
                steps = 200
                >>>>>>> REPLACE
                ```

                README.md
                <<<<<<< SEARCH
                # micro
                =======
                # micro, longer
                >>>>>>> REPLACE
                """;

		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, patch);

		assertThat(fixture.show(run.commit(), "train.py")).contains("lr = 0.03\nsteps = 200\n");
		assertThat(fixture.show(run.commit(), "README.md")).isEqualTo("# micro, longer\n");
	}

	@Test
	void searchTextThatIsNotThereIsRejectedNamingTheFile() {
		String patch = LR_BLOCK.replace("lr = 0.01", "lr = 0.5");

		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, patch))
				.isInstanceOfSatisfying(PatchRejectedException.class, rejected -> {
					assertThat(rejected.file()).isEqualTo("train.py");
					assertThat(rejected.reason()).isEqualTo("SEARCH block 1 not found (it starts with 'lr = 0.5')");
				});
		assertThat(fixture.runs.resolve("7")).doesNotExist();
		assertThat(fixture.branches()).doesNotContain("nightshift/run-7");
	}

	@Test
	void searchTextThatMatchesTwiceIsRejectedAsAmbiguous() {
		fixture.workspaces.importSource(2, fixture.folder("twice", Map.of("config.py", "x = 1\ny = 2\nx = 1\n")));
		String patch = "config.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 3\n>>>>>>> REPLACE\n";

		assertThatThrownBy(() -> fixture.workspaces.prepareRun(2, 7, null, patch))
				.isInstanceOfSatisfying(PatchRejectedException.class, rejected -> {
					assertThat(rejected.file()).isEqualTo("config.py");
					assertThat(rejected.reason()).isEqualTo(
							"SEARCH block 1 matches 2 times; it must match exactly once (it starts with 'x = 1')");
				});
	}

	@Test
	void emptySearchCreatesANewFile() {
		String patch = """
                model/attention.py
                <<<<<<< SEARCH
                =======
                def attend(q, k, v):
                    return v
                >>>>>>> REPLACE
                """;

		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, patch);

		assertThat(fixture.show(run.commit(), "model/attention.py")).isEqualTo("def attend(q, k, v):\n    return v\n");
		assertThat(run.dir().resolve("model/attention.py")).exists();
	}

	@Test
	void emptySearchOnAnExistingFileAndSearchInAMissingFileAreRejected() {
		String overwrite = "train.py\n<<<<<<< SEARCH\n=======\nprint(1)\n>>>>>>> REPLACE\n";
		String missing = "eval.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n";

		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, overwrite))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessage("Patch rejected for train.py: SEARCH block 1 is empty but the file exists; "
						+ "an empty SEARCH only creates a new file");
		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, missing))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessageStartingWith("Patch rejected for eval.py: file not found in the base commit");
	}

	@Test
	void editKeepsTheExecutableBitAndAMissingFinalNewline() throws Exception {
		Path source = fixture.folder("scripts", Map.of("run.sh", "#!/bin/sh\necho 1"));
		Files.setPosixFilePermissions(source.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
		fixture.workspaces.importSource(2, source);
		String patch = "run.sh\n<<<<<<< SEARCH\necho 1\n=======\necho 2\n>>>>>>> REPLACE\n";

		RunWorkspace run = fixture.workspaces.prepareRun(2, 7, null, patch);

		assertThat(Files.readString(run.dir().resolve("run.sh"))).isEqualTo("#!/bin/sh\necho 2");
		assertThat(Files.isExecutable(run.dir().resolve("run.sh"))).isTrue();
	}

	@Test
	void pathsOutsideTheRepositoryAreRejected() {
		for (String path : new String[] {"../outside.py", "/etc/passwd", ".git/config", "src/../../x"}) {
			String patch = path + "\n<<<<<<< SEARCH\n=======\nx = 1\n>>>>>>> REPLACE\n";

			assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, patch))
					.isInstanceOf(PatchRejectedException.class)
					.hasMessageContaining("not a relative path inside the repository");
		}
		assertThat(temp.resolve("home/runs/outside.py")).doesNotExist();
	}

	@Test
	void blockWithoutAPathOrWithoutItsEndIsRejected() {
		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, LR_BLOCK.replace("train.py\n", "")))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessageContaining("SEARCH block 1 has no file path");
		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, LR_BLOCK.replace(">>>>>>> REPLACE\n", "")))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessage("Patch rejected for train.py: SEARCH block 1 is not closed by a '>>>>>>> REPLACE' line");
	}
}
