package dev.nightshift.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scores what one loop concluded against the {@link ResearchProgram}'s truth, from the server's database: the
 * questions it closed (each judged by its {@link Claim}), its KEEPs (each against the noise-free loss of the best
 * before it), the crash and whether a fix of it ran, and the best noise-free loss reached after so many runs.
 */
final class ResearchScore {

	private final JdbcClient jdbc;

	private final long experiment;

	ResearchScore(JdbcClient jdbc, long experiment) {
		this.jdbc = jdbc;
		this.experiment = experiment;
	}

	private record Question(long id, String text, String status, String conclusion, int runs) {
	}

	private record Run(long id, String kind, String status, String verdict, String question, String questionStatus,
			String patch, Double trueLoss, Double smoothing, Long parent) {
	}

	Map<String, Object> score(List<Integer> budgets) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.putAll(questions());
		List<Run> runs = runs();
		result.put("runs_finished", runs.size());
		result.putAll(keeps(runs));
		result.putAll(crash(runs));
		result.put("best_true_loss_after_runs", bestAfter(runs, budgets));
		result.put("optimum_true_loss", ResearchProgram.OPTIMUM);
		result.put("proposals_rejected", jdbc.sql("select count(*) from proposal where experiment_id = ? and status = 'REJECTED'")
			.param(experiment).query(Long.class).single());
		return result;
	}

	/** Questions that runs studied (not the baseline's, not the holder of rejected drafts), and their closings. */
	private Map<String, Object> questions() {
		List<Question> questions = jdbc.sql("""
				select q.id, q.text, q.status, q.conclusion,
				       count(r.id) filter (where r.finished_at is not null) as runs
				from question q
				join proposal p on p.question_id = q.id and not p.baseline
				left join run r on r.proposal_id = p.id
				where q.experiment_id = ?
				group by q.id order by q.id""")
			.param(experiment)
			.query((rs, row) -> new Question(rs.getLong("id"), rs.getString("text"), rs.getString("status"),
					rs.getString("conclusion"), rs.getInt("runs")))
			.list()
			.stream()
			.filter(q -> q.runs() > 0)
			.toList();
		int deadEnds = 0, trueDeadEnds = 0, refuted = 0, trueRefuted = 0, supported = 0, trueSupported = 0, open = 0;
		int deserved = 0, found = 0, trueByFactor = 0;
		List<Map<String, Object>> closings = new ArrayList<>();
		for (Question question : questions) {
			Claim claim = Claim.of(question.text());
			boolean right = switch (question.status()) {
				case "DEAD_END" -> claim.deadEndTrue();
				case "REFUTED" -> claim.refutedTrue();
				case "SUPPORTED" -> claim.supportedTrue();
				default -> true;
			};
			switch (question.status()) {
				case "DEAD_END" -> {
					deadEnds++;
					trueDeadEnds += right ? 1 : 0;
					trueByFactor += claim.deadEndTrueByFactor() ? 1 : 0;
				}
				case "REFUTED" -> { refuted++; trueRefuted += right ? 1 : 0; }
				case "SUPPORTED" -> { supported++; trueSupported += right ? 1 : 0; }
				case "OPEN" -> open++;
				default -> { }
			}
			if (claim.deadEndTrue()) {
				deserved++;
				found += "DEAD_END".equals(question.status()) || "REFUTED".equals(question.status()) ? 1 : 0;
			}
			if (!"OPEN".equals(question.status())) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("question", question.text());
				entry.put("status", question.status());
				entry.put("true", right);
				entry.put("factor_does_nothing", claim.deadEndTrueByFactor());
				entry.put("claim", claim.kind());
				entry.put("best_gain_in_its_direction", Double.isInfinite(claim.gain()) ? "unattributable" : claim.gain());
				entry.put("runs", question.runs());
				entry.put("conclusion", question.conclusion());
				closings.add(entry);
			}
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("questions_with_runs", questions.size());
		result.put("dead_ends", deadEnds);
		result.put("dead_ends_true", trueDeadEnds);
		result.put("dead_end_precision", fraction(trueDeadEnds, deadEnds));
		result.put("dead_end_precision_by_factor", fraction(trueByFactor, deadEnds));
		result.put("dead_end_recall", fraction(found, deserved));
		result.put("questions_deserving_a_dead_end", deserved);
		result.put("refuted", refuted);
		result.put("refuted_true", trueRefuted);
		result.put("supported", supported);
		result.put("supported_true", trueSupported);
		result.put("open", open);
		result.put("closings", closings);
		return result;
	}

	private List<Run> runs() {
		return jdbc.sql("""
				select r.id, r.kind, r.status, r.verdict, q.text as question, q.status as question_status, p.patch,
				       (select value from metric_point m where m.run_id = r.id and m.name = 'true_loss'
				        order by seq desc limit 1) as true_loss,
				       (select value from metric_point m where m.run_id = r.id and m.name = 'code_smoothing'
				        order by seq desc limit 1) as smoothing,
				       %s as parent
				from run r left join proposal p on p.id = r.proposal_id left join question q on q.id = p.question_id
				where r.experiment_id = ? and r.finished_at is not null order by r.finished_at, r.id"""
			.formatted(parentColumn() == null ? "null::bigint" : "p." + parentColumn()))
			.param(experiment)
			.query((rs, row) -> new Run(rs.getLong("id"), rs.getString("kind"), rs.getString("status"),
					rs.getString("verdict"), rs.getString("question"), rs.getString("question_status"), rs.getString("patch"),
					(Double) rs.getObject("true_loss"), (Double) rs.getObject("smoothing"), (Long) rs.getObject("parent")))
			.list();
	}

	/**
	 * The proposal's parent, where the server records one (the debug step's fixes are children of the crashed
	 * proposal); null on a schema without it.
	 */
	private String parentColumn() {
		return jdbc.sql("""
				select column_name from information_schema.columns
				where table_name = 'proposal' and column_name like 'parent%' order by column_name limit 1""")
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/**
	 * A KEEP is false when its noise-free loss is not below that of the best it replaced. Replicates that confirmed
	 * a candidate carry its KEEP too; the candidate's is the one counted.
	 */
	private static Map<String, Object> keeps(List<Run> runs) {
		double best = Double.NaN;
		int keeps = 0, falseKeeps = 0, changes = 0, supported = 0;
		List<Map<String, Object>> kept = new ArrayList<>();
		for (Run run : runs) {
			if (!"KEEP".equals(run.verdict()) || run.trueLoss() == null || "REPLICATE".equals(run.kind())) {
				continue;
			}
			keeps++;
			boolean falseKeep = !Double.isNaN(best) && run.trueLoss() >= best - 1e-9;
			falseKeeps += falseKeep ? 1 : 0;
			if (!"BASELINE".equals(run.kind())) {
				changes++;
				supported += "SUPPORTED".equals(run.questionStatus()) ? 1 : 0;
			}
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("run", run.id());
			entry.put("kind", run.kind());
			entry.put("true_loss", run.trueLoss());
			entry.put("false_keep", falseKeep);
			entry.put("question", run.question());
			entry.put("question_status", run.questionStatus());
			kept.add(entry);
			best = Double.isNaN(best) ? run.trueLoss() : Math.min(best, run.trueLoss());
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("keeps", keeps);
		result.put("false_keeps", falseKeeps);
		result.put("kept_changes", changes);
		result.put("kept_changes_supported", supported);
		result.put("kept", kept);
		return result;
	}

	/** Did the misspelt change crash, did a fix of it run, and was that fix a child of the crashed proposal? */
	private static Map<String, Object> crash(List<Run> runs) {
		List<Run> crashed = runs.stream()
			.filter(run -> "FAILED".equals(run.status()) && run.patch() != null && run.patch().contains(ResearchProgram.TYPO))
			.toList();
		List<Run> fixed = runs.stream()
			.filter(run -> "SUCCEEDED".equals(run.status()) && run.smoothing() != null && run.smoothing() > 0)
			.toList();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("crashed", !crashed.isEmpty());
		result.put("crash_recovered", !fixed.isEmpty());
		result.put("crash_fixed_by_debug_step", fixed.stream().anyMatch(run -> run.parent() != null));
		return result;
	}

	/** The noise-free loss of the server's best after the first n finished runs, for each budget n. */
	private static Map<String, Object> bestAfter(List<Run> runs, List<Integer> budgets) {
		Map<String, Object> result = new LinkedHashMap<>();
		for (int budget : budgets) {
			Double best = null;
			for (Run run : runs.subList(0, Math.min(budget, runs.size()))) {
				if ("KEEP".equals(run.verdict()) && run.trueLoss() != null && !"REPLICATE".equals(run.kind())) {
					best = run.trueLoss();
				}
			}
			result.put(Integer.toString(budget), best);
		}
		return result;
	}

	private static double fraction(int part, int whole) {
		return whole == 0 ? Double.NaN : (double) part / whole;
	}
}
