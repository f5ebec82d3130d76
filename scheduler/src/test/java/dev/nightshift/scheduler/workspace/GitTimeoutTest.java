package dev.nightshift.scheduler.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A git command that hangs is killed, with everything it started, and reported naming it, within its time-out. */
class GitTimeoutTest {

	@TempDir
	Path dir;

	@Test
	void aHangingGitCommandIsKilledWithItsChildrenAndReportedNamingTheCommand() throws Exception {
		Git git = new Git(dir, Duration.ofSeconds(2));
		git.check(dir, "init", "--quiet");
		Path editorPid = dir.resolve("editor.pid");
		// A commit without -m waits for its editor; this one records its pid and never returns.
		String editor = "echo $$ > " + editorPid + "; exec sleep 600; :";

		long started = System.nanoTime();
		assertThatThrownBy(() -> git.run(dir, Map.of("GIT_EDITOR", editor), null, "commit", "--allow-empty"))
			.isInstanceOf(WorkspaceException.class)
			.hasMessageContaining("git commit --allow-empty")
			.hasMessageContaining("took longer than 2s")
			.hasMessageContaining("nightshift.scheduler.git-timeout");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

		long pid = Long.parseLong(Files.readString(editorPid).strip());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true));
	}

	@Test
	void aCommandWithinItsTimeoutAnswersAsBefore() {
		Git git = new Git(dir, Duration.ofSeconds(30));
		git.check(dir, "init", "--quiet");

		assertThat(git.check(dir, "rev-parse", "--is-inside-work-tree").line()).isEqualTo("true");
	}
}
