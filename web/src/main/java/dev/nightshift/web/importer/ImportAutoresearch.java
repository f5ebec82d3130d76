package dev.nightshift.web.importer;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.experiment.SourceRoots;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports an autoresearch-style repository in two steps: {@link #review} reads the specification off the
 * repository for a person to check (and edit), {@link #save} registers it, as any experiment is registered, with
 * the repository's {@code results.tsv} as history. Each history line becomes a closed question (its description;
 * keep → SUPPORTED, discard → REFUTED, so the dead-end log holds what did not help; crash → ABANDONED), a DONE
 * proposal and a finished run with its objective, memory, verdict and commit. The rows are written as they were,
 * not replayed through the scheduler: they were measured elsewhere, so they move no best and feed no noise
 * estimate; the first loop measures its own baseline on the repository's code.
 */
@Service
public class ImportAutoresearch {

	/** Who the imported history is signed by. */
	static final String IMPORTER = "import:results.tsv";

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final SourceRoots sources;
	private final RegisterExperiment register;
	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;
	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	ImportAutoresearch(SourceRoots sources, RegisterExperiment register, JdbcClient jdbc, TransactionTemplate transactions) {
		this.sources = sources;
		this.register = register;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * What to import.
	 *
	 * @param path the repository, under the allowed source roots
	 * @param name the experiment's name; null means the folder's
	 * @param spec the reviewed specification as JSON, when the person changed it; null means as read
	 */
	public record Command(String path, String name, String spec) {

		public Command {
			if (path == null || path.isBlank()) {
				throw new InvalidRequestException("path", "required", "the repository's path is required");
			}
		}
	}

	/** The specification to review (as JSON, valid), and what the history holds. */
	public record Review(String path, String spec, int runs, int kept, int discarded, int crashed, int commitsFound,
			Double best) {
	}

	/** The registered experiment and how many history runs it got. */
	public record Imported(long experimentId, String name, int runs) {
	}

	public Review review(Command command) {
		Path root = sources.resolve(command.path());
		AutoresearchRepository repository = new AutoresearchRepository(root);
		ExperimentSpec spec = spec(command, root, repository);
		List<HistoryRow> history = repository.history();
		return new Review(root.toString(), JSON.writeValueAsString(JSON.readTree(parser.toJson(spec))), history.size(),
				count(history, "keep"), count(history, "discard"), count(history, "crash"),
				(int) history.stream().filter(row -> row.fullCommit() != null).count(),
				history.stream().map(HistoryRow::objective).filter(objective -> objective != null)
					.min(Double::compare).orElse(null));
	}

	/** Reads the repository (files, and git for each row's commit) first; only the writes hold a transaction. */
	public Imported save(Command command, String actor) {
		Path root = sources.resolve(command.path());
		AutoresearchRepository repository = new AutoresearchRepository(root);
		ExperimentSpec spec = spec(command, root, repository);
		List<HistoryRow> history = repository.history();
		return transactions.execute(tx -> {
			Experiment experiment = register.register(spec, actor);
			Instant now = Instant.now();
			for (HistoryRow row : history) {
				insert(experiment.id().value(), row, now);
			}
			return new Imported(experiment.id().value(), experiment.name(), history.size());
		});
	}

	private ExperimentSpec spec(Command command, Path root, AutoresearchRepository repository) {
		if (command.spec() != null && !command.spec().isBlank()) {
			return parser.parseJson(command.spec());
		}
		String name = command.name() == null || command.name().isBlank() ? folderName(root) : command.name().strip();
		Map<String, Object> tree = repository.specification(name);
		return parser.parseJson(JSON.writeValueAsString(tree));
	}

	/** The folder's name made into a valid experiment name. */
	static String folderName(Path root) {
		String name = root.getFileName() == null ? "autoresearch" : root.getFileName().toString();
		name = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
		return name.isEmpty() ? "autoresearch" : name.substring(0, Math.min(64, name.length()));
	}

	private void insert(long experiment, HistoryRow row, Instant at) {
		Timestamp now = Timestamp.from(at);
		String questionStatus = switch (row.status()) {
			case "keep" -> "SUPPORTED";
			case "discard" -> "REFUTED";
			default -> "ABANDONED";
		};
		String outcome = row.objective() == null ? "it crashed"
				: AutoresearchRepository.METRIC + " " + row.objective() + (row.status().equals("keep") ? ", kept" : ", discarded");
		long question = jdbc.sql("""
				insert into question (experiment_id, text, status, conclusion, created_by, created_at, closed_at)
				values (?, ?, ?, ?, ?, ?, ?) returning id""")
			.params(experiment, row.description(), questionStatus, "autoresearch: " + outcome, IMPORTER, now, now)
			.query(Long.class).single();
		long proposal = jdbc.sql("""
				insert into proposal (experiment_id, question_id, status, params, rationale, proposer, decided_by, created_at)
				values (?, ?, 'DONE', '{}', ?, ?, ?, ?) returning id""")
			.params(experiment, question, row.description(), IMPORTER, IMPORTER, now)
			.query(Long.class).single();
		String runStatus = row.objective() == null ? "FAILED" : "SUCCEEDED";
		String verdict = row.objective() == null ? null : row.status().equals("keep") ? "KEEP" : "DISCARD";
		long run = jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, commit_sha, objective, peak_memory_mb,
				                 verdict, verdict_reason, error, queued_at, started_at, finished_at)
				values (?, ?, 'PROPOSAL', ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
			.params(experiment, proposal, runStatus, row.fullCommit() != null ? row.fullCommit() : row.commit(),
					row.objective(), row.memoryGb() * 1024, verdict,
					verdict == null ? null : "imported from results.tsv: autoresearch " + (verdict.equals("KEEP") ? "kept" : "discarded") + " it",
					row.objective() == null ? "crashed (imported from results.tsv)" : null, now, now, now)
			.query(Long.class).single();
		history("QUESTION", question, questionStatus, now);
		history("PROPOSAL", proposal, "DONE", now);
		history("RUN", run, runStatus, now);
	}

	private void history(String aggregate, long id, String status, Timestamp at) {
		jdbc.sql("""
				insert into state_change (aggregate, aggregate_id, from_state, to_state, actor, reason, at)
				values (?, ?, null, ?, ?, 'imported from results.tsv', ?)""")
			.params(aggregate, id, status, IMPORTER, at)
			.update();
	}

	private static int count(List<HistoryRow> history, String status) {
		return (int) history.stream().filter(row -> row.status().equals(status)).count();
	}
}
