package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.scheduler.workspace.WorkspaceException;
import dev.nightshift.scheduler.workspace.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The compare page's content: two to five runs of one experiment, their parameters side by side (a row whose
 * values differ is marked), and the code diff of each run's commit against the first run's. A bad pick is a
 * {@link BadPick} naming what is wrong, never a failure.
 */
@Component
class RunComparison {

	static final int MIN_RUNS = 2;
	static final int MAX_RUNS = 5;

	private static final Formats FORMATS = new Formats();

	private static final Logger log = LoggerFactory.getLogger(RunComparison.class);

	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final Workspaces workspaces;

	RunComparison(RunRepository runs, ExperimentRepository experiments, Workspaces workspaces) {
		this.runs = runs;
		this.experiments = experiments;
		this.workspaces = workspaces;
	}

	/** What makes a pick of runs impossible to compare, in words for the page. */
	static final class BadPick extends RuntimeException {

		BadPick(String message) {
			super(message);
		}
	}

	/** One compared run, as its column's header shows it. */
	record Column(long id, String status, Double objective, String verdict, String commit, boolean best) {
	}

	/** One parameter (or the objective) across the runs; {@code differs} when not all values are equal. */
	record Row(String name, List<String> values, boolean differs) {
	}

	/** The diff from the first run's commit to another run's, or a note why there is none. */
	record CodeDiff(long from, long to, List<DiffView.Line> lines, String note) {
	}

	record View(long experimentId, String experimentName, String metric, List<Column> columns, List<Row> rows,
			List<CodeDiff> diffs) {

		public String ids() {
			return String.join(",", columns.stream().map(c -> Long.toString(c.id())).toList());
		}
	}

	/** The run ids of a {@code runs} parameter: {@code 3,5,8}, repeated or comma-separated. */
	static List<Long> parse(List<String> raw) {
		Set<Long> ids = new LinkedHashSet<>();
		for (String part : raw == null ? List.<String>of() : raw) {
			for (String id : part.split(",")) {
				String bare = id.strip().replaceFirst("^#", "");
				if (bare.isEmpty()) {
					continue;
				}
				if (!bare.matches("\\d{1,18}")) {
					throw new BadPick("\"" + abbreviate(bare) + "\" is not a run number.");
				}
				ids.add(Long.parseLong(bare));
			}
		}
		if (ids.size() < MIN_RUNS || ids.size() > MAX_RUNS) {
			throw new BadPick("Pick two to five runs to compare; " + ids.size() + (ids.size() == 1 ? " was" : " were")
					+ " picked.");
		}
		return List.copyOf(ids);
	}

	@Transactional(readOnly = true)
	View of(List<Long> ids) {
		List<Run> picked = new ArrayList<>();
		for (long id : ids) {
			picked.add(runs.findById(id).orElseThrow(() -> new BadPick("There is no run #" + id + ".")));
		}
		Set<Long> experimentIds = new LinkedHashSet<>();
		picked.forEach(run -> experimentIds.add(run.experimentId().value()));
		if (experimentIds.size() > 1) {
			throw new BadPick("Runs of different experiments cannot be compared: the runs are of experiments "
					+ experimentIds + ".");
		}
		Experiment experiment = experiments.require(picked.get(0).experimentId());
		Long best = experiment.bestRunId().orElse(null);
		List<Column> columns = picked.stream()
			.map(run -> new Column(run.id().value(), run.status().name(), run.objective().orElse(null),
					run.verdict().map(Enum::name).orElse(null), run.commit().map(c -> c.substring(0, Math.min(10, c.length()))).orElse(null),
					Objects.equals(best, run.id().value())))
			.toList();
		return new View(experiment.id().value(), experiment.name(), experiment.spec().objective().metric(), columns,
				rows(experiment, picked), diffs(experiment, picked));
	}

	/** The specification's parameters in its order, then any other a run carries, then the objective. */
	private static List<Row> rows(Experiment experiment, List<Run> picked) {
		Set<String> names = new LinkedHashSet<>(experiment.spec().parameters().keySet());
		picked.forEach(run -> names.addAll(run.params().keySet()));
		List<Row> rows = new ArrayList<>();
		for (String name : names) {
			rows.add(row(name, picked.stream().map(run -> run.params().get(name)).toList()));
		}
		rows.add(row(experiment.spec().objective().metric(), picked.stream().map(run -> (Object) run.objective().orElse(null)).toList()));
		return rows;
	}

	private static Row row(String name, List<Object> raw) {
		List<String> values = raw.stream().map(v -> v == null ? "—" : FORMATS.value(v)).toList();
		return new Row(name, values, new LinkedHashSet<>(values).size() > 1);
	}

	private List<CodeDiff> diffs(Experiment experiment, List<Run> picked) {
		Run first = picked.get(0);
		List<CodeDiff> diffs = new ArrayList<>();
		for (Run other : picked.subList(1, picked.size())) {
			String from = first.commit().orElse(null);
			String to = other.commit().orElse(null);
			String note = null;
			List<DiffView.Line> lines = List.of();
			if (from == null || to == null) {
				note = "No code to compare: run #" + (from == null ? first : other).id().value() + " has no commit yet.";
			}
			else if (from.equals(to)) {
				note = "Same code: both ran commit " + from.substring(0, Math.min(10, from.length())) + ".";
			}
			else {
				String text;
				try {
					text = workspaces.diff(experiment.id().value(), from, to).orElse(null);
				}
				catch (WorkspaceException unknown) {
					log.info("No diff from run {} to run {}: {}", first.id().value(), other.id().value(), unknown.getMessage());
					text = null;
				}
				if (text == null) {
					note = "No diff: the experiment's repository does not hold both commits.";
				}
				else if (text.isBlank()) {
					note = "Same code: the two commits hold the same files.";
				}
				else {
					lines = DiffView.of(text);
				}
			}
			diffs.add(new CodeDiff(first.id().value(), other.id().value(), lines, note));
		}
		return diffs;
	}

	private static String abbreviate(String text) {
		return text.length() > 20 ? text.substring(0, 20) + "…" : text;
	}
}
