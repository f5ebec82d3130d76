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

class ImportSourceTest {

	@TempDir
	Path temp;

	GitFixture fixture;

	@BeforeEach
	void setUp() {
		fixture = new GitFixture(temp);
	}

	@Test
	void plainFolderBecomesOneImportCommitWithoutGitFoldersOrBytecode() throws Exception {
		Path source = fixture.folder("micro", Map.of(
				"train.py", GitFixture.TRAIN_PY,
				"data/tiny.txt", "hello\n",
				"model.pyc", "bytecode",
				"__pycache__/train.cpython-311.pyc", "bytecode",
				"vendor/lib/.git/HEAD", "ref: refs/heads/main\n",
				"vendor/lib/util.py", "x = 1\n",
				"run.sh", "#!/bin/sh\npython3 train.py\n"));
		Files.setPosixFilePermissions(source.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

		Path repo = fixture.workspaces.importSource(1, source);

		assertThat(repo).isEqualTo(fixture.repo(1));
		assertThat(git(repo, "ls-files", "--stage").lines().toList())
				.hasSize(4)
				.anySatisfy(line -> assertThat(line).startsWith("100755").endsWith("\trun.sh"))
				.anySatisfy(line -> assertThat(line).startsWith("100644").endsWith("\ttrain.py"))
				.anySatisfy(line -> assertThat(line).endsWith("\tdata/tiny.txt"))
				.anySatisfy(line -> assertThat(line).endsWith("\tvendor/lib/util.py"));
		assertThat(git(repo, "log", "--format=%s|%an <%ae>|%cn <%ce>").strip())
				.isEqualTo("Import " + source + "|Nightshift <nightshift@localhost>|Nightshift <nightshift@localhost>");
		assertThat(fixture.workspaces.headCommit(1)).isEqualTo(git(repo, "rev-parse", "HEAD").strip()).hasSize(40);
	}

	@Test
	void gitRepositoryIsClonedWithItsHistoryAtItsHeadCommit() throws Exception {
		Path source = fixture.repository("upstream",
				Map.of("train.py", "lr = 0.1\n"),
				Map.of("train.py", GitFixture.TRAIN_PY));
		String sourceHead = git(source, "rev-parse", "HEAD").strip();
		Files.writeString(source.resolve("train.py"), "uncommitted = True\n");

		Path repo = fixture.workspaces.importSource(1, source);

		assertThat(fixture.workspaces.headCommit(1)).isEqualTo(sourceHead);
		assertThat(git(repo, "log", "--format=%s").lines().toList()).containsExactly("commit 2", "commit 1");
		assertThat(Files.readString(repo.resolve("train.py"))).isEqualTo(GitFixture.TRAIN_PY);
	}

	@Test
	void folderInsideSomeRepositoryIsImportedAsAPlainFolder() {
		Path outer = fixture.repository("outer", Map.of("examples/micro/train.py", GitFixture.TRAIN_PY, "other.txt", "x\n"));

		Path repo = fixture.workspaces.importSource(1, outer.resolve("examples/micro"));

		assertThat(git(repo, "ls-files").lines().toList()).containsExactly("train.py");
		assertThat(git(repo, "log", "--format=%s").strip()).startsWith("Import ");
	}

	@Test
	void noSourceGivesAnEmptyRepositoryWithOneEmptyCommit() {
		Path repo = fixture.workspaces.importSource(1, null);

		assertThat(git(repo, "ls-files")).isEmpty();
		assertThat(git(repo, "rev-list", "--count", "HEAD").strip()).isEqualTo("1");
		assertThat(fixture.workspaces.headCommit(1)).hasSize(40);
	}

	@Test
	void importingAgainReturnsTheSameRepositoryUnchanged() {
		Path first = fixture.workspaces.importSource(1, fixture.folder("a", Map.of("train.py", GitFixture.TRAIN_PY)));
		String head = fixture.workspaces.headCommit(1);

		Path second = fixture.workspaces.importSource(1, fixture.folder("b", Map.of("other.py", "x = 2\n")));

		assertThat(second).isEqualTo(first);
		assertThat(fixture.workspaces.headCommit(1)).isEqualTo(head);
		assertThat(git(second, "ls-files").lines().toList()).containsExactly("train.py");
		assertThat(fixture.repositories).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith(".import"));
	}

	@Test
	void bestBranchStartsAtTheImportedCommit() {
		String head = fixture.importedTrainPy();

		assertThat(git(fixture.repo(1), "rev-parse", "nightshift/best").strip()).isEqualTo(head);
	}

	@Test
	void aFileAsSourceOrAnUnknownExperimentFailsClearly() {
		Path file = fixture.folder("f", Map.of("train.py", "x\n")).resolve("train.py");

		assertThatThrownBy(() -> fixture.workspaces.importSource(1, file))
				.isInstanceOf(WorkspaceException.class).hasMessageContaining("is not a folder");
		assertThatThrownBy(() -> fixture.workspaces.headCommit(42))
				.isInstanceOf(WorkspaceException.class).hasMessageContaining("Experiment 42 has no imported repository");
		assertThat(fixture.repositories).isEmptyDirectory();
	}
}
