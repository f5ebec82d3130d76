package dev.nightshift.web.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.nightshift.experiments.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a repository's own files become a specification, without a server. */
class AutoresearchRepositoryTest {

	@TempDir
	Path dir;

	@Test
	void prepareTimeBudgetWinsOverTheProgramAndTheRunGetsTwiceIt() throws Exception {
		write("program.md", "The time budget is 10 minutes.");
		write("prepare.py", "TIME_BUDGET = 120\n");
		write("train.py", "");
		AutoresearchRepository repository = new AutoresearchRepository(dir);
		assertThat(repository.trainingBudget("The time budget is 10 minutes.")).isEqualTo(Duration.ofMinutes(2));
		assertThat(repository.specification("x").get("budget")).isEqualTo(java.util.Map.of("run", "240s"));
	}

	@Test
	void withoutPrepareTheProgramsBudgetCountsAndWithoutEitherFiveMinutes() throws Exception {
		write("train.py", "");
		AutoresearchRepository repository = new AutoresearchRepository(dir);
		assertThat(repository.trainingBudget("Each run has a fixed time budget of 10 minutes.")).isEqualTo(Duration.ofMinutes(10));
		assertThat(repository.trainingBudget("Training budget: 90 seconds")).isEqualTo(Duration.ofSeconds(90));
		assertThat(repository.trainingBudget("Go fast.")).isEqualTo(AutoresearchRepository.DEFAULT_TRAINING_BUDGET);
	}

	@Test
	void plainPythonUnlessTheRepositoryUsesUv() throws Exception {
		write("program.md", "Run python train.py.");
		write("train.py", "");
		assertThat(new AutoresearchRepository(dir).specification("x").get("command")).isEqualTo("python3 train.py");
		write("uv.lock", "");
		assertThat(new AutoresearchRepository(dir).specification("x").get("command")).isEqualTo("uv run train.py");
	}

	@Test
	void aLinkedProgramIsNotFollowedAndCountsAsMissing() throws Exception {
		Path elsewhere = Files.writeString(dir.resolve("elsewhere.md"), "a program kept elsewhere");
		Files.createSymbolicLink(dir.resolve("program.md"), elsewhere);
		write("train.py", "");
		assertThatThrownBy(() -> new AutoresearchRepository(dir).specification("x"))
			.isInstanceOf(InvalidRequestException.class).hasMessageContaining("no program.md");
	}

	@Test
	void aFolderNameBecomesAValidExperimentName() {
		assertThat(ImportAutoresearch.folderName(Path.of("/home/me/my autoresearch!"))).isEqualTo("my-autoresearch-");
		assertThat(ImportAutoresearch.folderName(Path.of("/tmp/.hidden"))).isEqualTo("hidden");
	}

	@Test
	void aGitThatHangsOnTheHistorysCommitsIsStoppedAndTheRowsComeWithoutThem() throws Exception {
		Path repo = AutoresearchFixture.create(dir, "hanging");
		// Git opens HEAD to recognise the repository; a FIFO there blocks it until a writer comes, which none does.
		Files.delete(repo.resolve(".git/HEAD"));
		assertThat(new ProcessBuilder("mkfifo", repo.resolve(".git/HEAD").toString()).start().waitFor()).isZero();

		// A deadline for the test, not a measurement: without the time-out this call never returns.
		List<HistoryRow> rows = assertTimeoutPreemptively(Duration.ofMinutes(2),
				() -> new AutoresearchRepository(repo, Duration.ofMillis(500)).history());

		assertThat(rows).hasSize(4).allSatisfy(row -> assertThat(row.fullCommit()).isNull());
		await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.allProcesses()
			.noneMatch(process -> process.info().commandLine().orElse("").contains(repo.toString())));
	}

	private void write(String name, String text) throws Exception {
		Files.writeString(dir.resolve(name), text);
	}
}
