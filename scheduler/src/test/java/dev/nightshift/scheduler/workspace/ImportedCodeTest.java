package dev.nightshift.scheduler.workspace;

import static dev.nightshift.scheduler.workspace.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the imported commit and its history count as imported code: every commit a patch made, and every run
 * on one, holds code a proposal wrote, whatever branch points at it.
 */
class ImportedCodeTest {

	@TempDir
	Path temp;

	GitFixture fixture;

	String imported;

	@BeforeEach
	void setUp() {
		fixture = new GitFixture(temp);
		imported = fixture.importedTrainPy();
	}

	@Test
	void theImportedCommitIsImportedAndAPatchedOneIsNotEvenOnceItIsTheBest() {
		RunWorkspace patched = fixture.workspaces.prepareRun(1, 7, imported, PrepareRunTest.LR_DIFF);
		fixture.workspaces.markBest(1, patched.commit());
		RunWorkspace onTheBest = fixture.workspaces.prepareRun(1, 8, patched.commit(), null);

		assertThat(fixture.workspaces.isImported(1, imported)).isTrue();
		assertThat(fixture.workspaces.isImported(1, patched.commit())).isFalse();
		assertThat(fixture.workspaces.isImported(1, onTheBest.commit())).isFalse();
		assertThat(fixture.workspaces.isImported(1, Workspaces.BEST_BRANCH)).isFalse();
		assertThat(fixture.workspaces.isImported(1, "0000000000000000000000000000000000000000")).isFalse();
	}

	@Test
	void aRepositoryImportedBeforeTheRefWasRecordedFallsBackToItsHead() {
		Path repo = fixture.workspaces.importSource(1, null);
		git(repo, "update-ref", "-d", Workspaces.IMPORTED_REF);
		RunWorkspace patched = fixture.workspaces.prepareRun(1, 7, imported, PrepareRunTest.LR_DIFF);

		assertThat(fixture.workspaces.isImported(1, imported)).isTrue();
		assertThat(fixture.workspaces.isImported(1, patched.commit())).isFalse();
	}
}
