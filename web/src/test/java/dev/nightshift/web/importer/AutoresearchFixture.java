package dev.nightshift.web.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A repository laid out as autoresearch lays one out after a night: program.md, prepare.py with its
 * TIME_BUDGET, train.py, and a results.tsv whose first line names a real commit of the repository and whose
 * others name commits it does not have (autoresearch resets discarded ones away).
 */
public final class AutoresearchFixture {

	public static final String PROGRAM = """
			# autoresearch

			This is an experiment to have the LLM do its own research. Each experiment runs for a fixed time budget
			of 5 minutes. Run it with `uv run train.py > run.log 2>&1` and read val_bpb from the summary.
			Lower val_bpb is better. Only train.py may be edited; prepare.py is read-only.
			""";

	private AutoresearchFixture() {
	}

	/** The repository in {@code dir}/{@code name}, with a git history; the first row's commit is its first commit. */
	public static Path create(Path dir, String name) throws IOException, InterruptedException {
		Path repo = Files.createDirectories(dir.resolve(name));
		Files.writeString(repo.resolve("program.md"), PROGRAM);
		Files.writeString(repo.resolve("prepare.py"), "MAX_SEQ_LEN = 2048\nTIME_BUDGET = 300        # training time budget, seconds\n");
		Files.writeString(repo.resolve("train.py"), "print('---')\nprint('val_bpb:          0.997900')\n");
		git(repo, "init", "-q");
		git(repo, "add", "-A");
		git(repo, "commit", "-q", "-m", "baseline");
		String first = git(repo, "rev-parse", "--short=7", "HEAD");
		Files.writeString(repo.resolve("results.tsv"), String.join("\n",
				"commit\tval_bpb\tmemory_gb\tstatus\tdescription",
				first + "\t0.997900\t44.0\tkeep\tbaseline",
				"b2c3d4e\t0.993200\t44.2\tkeep\tincrease LR to 0.04",
				"c3d4e5f\t1.005000\t44.0\tdiscard\tswitch to GeLU activation",
				"d4e5f6g\t0.000000\t0.0\tcrash\tdouble model width (OOM)", ""));
		return repo;
	}

	static String git(Path repo, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=test", "-c",
				"user.email=test@localhost", "-c", "commit.gpgsign=false"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (process.waitFor() != 0) {
			throw new IOException("git " + String.join(" ", args) + ": " + out);
		}
		return out;
	}
}
