package dev.nightshift.scheduler.workspace;

import static dev.nightshift.scheduler.workspace.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareRunTest {

	static final String LR_DIFF = """
            diff --git a/train.py b/train.py
            index 1111111..2222222 100644
            --- a/train.py
            +++ b/train.py
            @@ -1,4 +1,4 @@
             import os
            -lr = 0.01
            +lr = 0.02
             steps = 100
             print(f"val_loss: {1.0 / (lr * steps):.4f}")
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
	void runWithoutPatchChecksOutTheBaseCommitOnItsOwnBranch() throws Exception {
		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, null);

		assertThat(run.dir()).isEqualTo(fixture.runs.resolve("7/work"));
		assertThat(run.runDir()).isEqualTo(fixture.runs.resolve("7"));
		assertThat(run.commit()).isEqualTo(base);
		assertThat(run.branch()).isEqualTo("nightshift/run-7");
		assertThat(Files.readString(run.dir().resolve("train.py"))).isEqualTo(GitFixture.TRAIN_PY);
		assertThat(git(run.dir(), "rev-parse", "HEAD", "--abbrev-ref", "HEAD").lines().toList())
				.containsExactly(base, "nightshift/run-7");
	}

	@Test
	void unifiedDiffIsCommittedOnTopOfTheBase() throws Exception {
		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);

		assertThat(run.commit()).isNotEqualTo(base);
		assertThat(fixture.show(run.commit(), "train.py")).contains("lr = 0.02").doesNotContain("lr = 0.01");
		assertThat(git(fixture.repo(1), "show", "--format=%s|%P|%an <%ae>", "--stat", run.commit()))
				.startsWith("Run 7|" + base + "|Nightshift <nightshift@localhost>")
				.contains("train.py | 2 +-");
		assertThat(Files.readString(run.dir().resolve("train.py"))).contains("lr = 0.02");
		assertThat(git(run.dir(), "status", "--porcelain")).isEmpty();
	}

	@Test
	void diffWithoutPrefixesAppliesAsWritten() {
		String plainDiff = """
                --- train.py
                +++ train.py
                @@ -2,2 +2,2 @@
                -lr = 0.01
                +lr = 0.05
                 steps = 100
                """;

		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, plainDiff);

		assertThat(fixture.show(run.commit(), "train.py")).contains("lr = 0.05");
	}

	@Test
	void gitDiffWithoutPrefixesAppliesAsWritten() {
		String noPrefix = LR_DIFF.replace("a/train.py", "train.py").replace("b/train.py", "train.py");

		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, noPrefix);

		assertThat(fixture.show(run.commit(), "train.py")).contains("lr = 0.02");
	}

	@Test
	void diffCanAddAndDeleteFiles() {
		String diff = """
                diff --git a/README.md b/README.md
                deleted file mode 100644
                --- a/README.md
                +++ /dev/null
                @@ -1 +0,0 @@
                -# micro
                diff --git a/model/attention.py b/model/attention.py
                new file mode 100644
                --- /dev/null
                +++ b/model/attention.py
                @@ -0,0 +1,2 @@
                +def attend(q, k, v):
                +    return v
                """;

		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, diff);

		assertThat(git(fixture.repo(1), "ls-tree", "-r", "--name-only", run.commit()).lines().toList())
				.containsExactlyInAnyOrder("train.py", "model/attention.py");
		assertThat(run.dir().resolve("model/attention.py")).hasContent("def attend(q, k, v):\n    return v");
	}

	@Test
	void rejectedDiffNamesTheFileQuotesGitAndLeavesNothingBehind() {
		String stale = LR_DIFF.replace("-lr = 0.01", "-lr = 0.3");

		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, stale))
				.isInstanceOfSatisfying(PatchRejectedException.class, rejected -> {
					assertThat(rejected.file()).isEqualTo("train.py");
					assertThat(rejected.reason()).contains("patch failed: train.py:1", "patch does not apply");
					assertThat(rejected.getMessage()).startsWith("Patch rejected for train.py: git apply: error:");
				});

		assertThat(fixture.runs.resolve("7")).doesNotExist();
		assertThat(fixture.branches()).containsExactlyInAnyOrder("main", "nightshift/best");
		assertThat(fixture.runWorktrees()).isEmpty();
		assertThat(fixture.repo(1).resolve(".git")).isDirectoryNotContaining("glob:**/nightshift-index-*");
	}

	@Test
	void diffOfAFileTheBaseDoesNotHaveIsRejectedNamingIt() {
		String diff = LR_DIFF.replace("train.py", "eval.py");

		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, diff))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessageContaining("eval.py")
				.hasMessageContaining("does not exist in index");
	}

	@Test
	void diffThatReachesOutOfTheRepositoryIsRejected() {
		for (String path : new String[] {"../evil.py", ".git/hooks/post-checkout"}) {
			String diff = "--- /dev/null\n+++ b/" + path + "\n@@ -0,0 +1 @@\n+import os\n";

			assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, diff))
					.isInstanceOf(PatchRejectedException.class)
					.hasMessageContaining("invalid path '" + path + "'");
		}
		assertThat(fixture.runs.resolve("7")).doesNotExist();
	}

	@Test
	void textThatIsNoPatchIsRejected() {
		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, "Set lr to 0.02, please."))
				.isInstanceOf(PatchRejectedException.class)
				.hasMessageContaining("not a unified diff");
		assertThat(fixture.runs.resolve("7")).doesNotExist();
	}

	@Test
	void twoRunsFromTheSameBaseGetTheirOwnBranchesAndCheckouts() {
		RunWorkspace first = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);
		RunWorkspace second = fixture.workspaces.prepareRun(1, 8, base, LR_DIFF.replace("+lr = 0.02", "+lr = 0.04"));

		assertThat(first.branch()).isNotEqualTo(second.branch());
		assertThat(first.dir()).isNotEqualTo(second.dir());
		assertThat(fixture.show(first.commit(), "train.py")).contains("lr = 0.02");
		assertThat(fixture.show(second.commit(), "train.py")).contains("lr = 0.04");
		assertThat(fixture.runWorktrees()).containsExactlyInAnyOrder(first.dir().toString(), second.dir().toString());
	}

	@Test
	void runCanStartFromAnEarlierCommit() {
		Path source = fixture.repository("upstream", Map.of("train.py", "lr = 0.1\n"), Map.of("train.py", "lr = 0.2\n"));
		fixture.workspaces.importSource(2, source);
		String first = git(source, "rev-parse", "HEAD~1").strip();

		RunWorkspace run = fixture.workspaces.prepareRun(2, 9, first, null);

		assertThat(run.dir().resolve("train.py")).hasContent("lr = 0.1");
	}

	@Test
	void preparingTheSameRunAgainReturnsTheExistingCheckout() throws Exception {
		RunWorkspace first = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);
		Files.writeString(first.dir().resolve("checkpoint.pt"), "weights");

		RunWorkspace again = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);

		assertThat(again).isEqualTo(first);
		assertThat(again.dir().resolve("checkpoint.pt")).exists();
		assertThat(git(fixture.repo(1), "rev-list", "--count", "--all").strip()).isEqualTo("2");
	}

	@Test
	void preparingARunWhoseCheckoutIsGoneChecksOutItsBranchAgain() {
		RunWorkspace first = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);
		fixture.workspaces.removeRun(7);

		RunWorkspace again = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);

		assertThat(again).isEqualTo(first);
		assertThat(again.dir().resolve("train.py")).content().contains("lr = 0.02");
	}

	@Test
	void preparingAnExistingRunWithADifferentPatchFails() {
		fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);

		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, null))
				.isInstanceOf(WorkspaceException.class)
				.hasMessageContaining("nightshift/run-7 already exists");
		assertThatThrownBy(() -> fixture.workspaces.prepareRun(1, 7, base, LR_DIFF.replace("0.02", "0.03")))
				.isInstanceOf(WorkspaceException.class)
				.hasMessageContaining("which is not base " + base + " plus this patch");
	}

	@Test
	void removingARunDeletesItsCheckoutButKeepsItsCommitAndLog() throws Exception {
		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);
		Files.writeString(run.runDir().resolve("run.log"), "val_loss: 0.5\n");

		fixture.workspaces.removeRun(7);

		assertThat(run.dir()).doesNotExist();
		assertThat(run.runDir().resolve("run.log")).exists();
		assertThat(fixture.runWorktrees()).isEmpty();
		assertThat(git(fixture.repo(1), "rev-parse", "nightshift/run-7").strip()).isEqualTo(run.commit());
		assertThat(fixture.show("nightshift/run-7", "train.py")).contains("lr = 0.02");
	}

	@Test
	void removingARunDoesNotFollowLinksItLeftBehind() throws Exception {
		Path outside = fixture.folder("precious", Map.of("data.bin", "keep me"));
		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, null);
		Files.createSymbolicLink(run.dir().resolve("data"), outside);

		fixture.workspaces.removeRun(7);

		assertThat(run.dir()).doesNotExist();
		assertThat(outside.resolve("data.bin")).hasContent("keep me");
	}

	@Test
	void removingARunThatHasNoCheckoutDoesNothing() {
		fixture.workspaces.removeRun(99);

		assertThat(fixture.runs.resolve("99")).doesNotExist();
	}

	@Test
	void markingBestMovesTheBestBranchToTheRunsCommit() {
		RunWorkspace run = fixture.workspaces.prepareRun(1, 7, base, LR_DIFF);

		fixture.workspaces.markBest(1, run.commit());

		assertThat(git(fixture.repo(1), "rev-parse", "nightshift/best").strip()).isEqualTo(run.commit());
		assertThat(fixture.workspaces.headCommit(1)).isEqualTo(base);
		assertThatThrownBy(() -> fixture.workspaces.markBest(1, "0123456789abcdef0123456789abcdef01234567"))
				.isInstanceOf(WorkspaceException.class).hasMessageContaining("No commit");
	}
}
