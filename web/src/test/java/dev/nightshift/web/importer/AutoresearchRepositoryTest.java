package dev.nightshift.web.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

	private void write(String name, String text) throws Exception {
		Files.writeString(dir.resolve(name), text);
	}
}
