package dev.nightshift.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * The chaos test's verdicts on the night it read back: each check returns what broke its promise, empty when it
 * held, so that every broken promise is reported at once.
 */
final class ChaosChecks {

	private ChaosChecks() {
	}

	/** Everything read back from the server after the chaos. */
	record Night(JsonNode loop, JsonNode experiment, List<JsonNode> runs, List<JsonNode> proposals,
			List<ChaosFindings.Points> points, String bestBranch) {

		static Night read(NightshiftServer server, Path home, long experiment) throws Exception {
			Night state = readState(server, home, experiment);
			List<ChaosFindings.Points> points = new ArrayList<>();
			for (JsonNode run : state.runs()) {
				points.add(ChaosFindings.points(server, home, run));
			}
			return new Night(state.loop(), state.experiment(), state.runs(), state.proposals(), points,
					state.bestBranch());
		}

		/** Everything but the metric points. */
		static Night readState(NightshiftServer server, Path home, long experiment) throws Exception {
			List<JsonNode> runs = ChaosFindings.runs(server, experiment);
			List<ChaosFindings.Points> points = List.of();
			return new Night(server.json("GET", "/api/experiments/" + experiment + "/loop", null, null).get("loop"),
					server.json("GET", "/api/experiments/" + experiment, null, null), runs,
					ChaosFindings.proposals(server, experiment), points, ChaosFindings.bestBranch(home, experiment));
		}
	}

	/** Every check by what it promises, with what broke the promise; an empty list is a promise kept. */
	static Map<String, List<String>> all(Night night, Chaos.Race race, List<String> leftovers, int kills,
			int replicates) {
		Map<String, List<String>> checks = new LinkedHashMap<>();
		String loop = night.loop().get("status").asString();
		checks.put("the loop finished by itself", "FINISHED".equals(loop) ? List.of()
				: List.of("loop " + loop + ": " + ChaosFindings.text(night.loop(), "stopReason")));
		long ended = night.runs().stream().filter(ChaosFindings::isFinal).count();
		checks.put("at least 20 runs ended", ended >= 20 ? List.of() : List.of("only " + ended + " runs ended"));
		checks.put("every run is final", night.runs().stream().filter(run -> !ChaosFindings.isFinal(run))
			.map(run -> "run " + run.get("id").asLong() + " " + run.get("status").asString()).toList());
		checks.put("each proposal ran once, beyond replicates and one re-queue after LOST",
				ranOnce(night.runs(), replicates));
		checks.put("the " + Chaos.APPROVERS + " parallel approvals gave one run, each answered 200 or 409",
				race(night, race));
		checks.put("every metric point printed is stored exactly once", night.points().stream()
			.filter(points -> !points.exact()).map(ChaosFindings.Points::toString).toList());
		checks.put("no training process is left", leftovers);
		checks.put("nothing is stuck", stuck(night));
		checks.put("the server was killed at least five times", kills >= 5 ? List.of()
				: List.of("only " + kills + " kills"));
		return checks;
	}

	/**
	 * A proposal has one PROPOSAL run, or two when the first was LOST (the one re-queue); a baseline its
	 * replicates, twice as many when one of the first round was LOST (the re-queue queues the baseline again); a
	 * run being confirmed at most one replicate.
	 */
	static List<String> ranOnce(List<JsonNode> runs, int replicates) {
		List<String> violations = new ArrayList<>();
		Map<Long, List<JsonNode>> byProposal = runs.stream().filter(run -> ChaosFindings.proposalOf(run) >= 0)
			.collect(Collectors.groupingBy(ChaosFindings::proposalOf, TreeMap::new, Collectors.toList()));
		byProposal.forEach((proposal, its) -> {
			List<JsonNode> proposalRuns = ofKind(its, "PROPOSAL");
			if (proposalRuns.size() > 2 || proposalRuns.size() == 2 && !isLost(proposalRuns.get(0))) {
				violations.add("proposal " + proposal + " ran as " + describe(proposalRuns));
			}
			List<JsonNode> baseline = ofKind(its, "BASELINE");
			boolean firstRoundLost = baseline.stream().limit(replicates).anyMatch(ChaosChecks::isLost);
			if (baseline.size() > 2 * replicates || baseline.size() > replicates && !firstRoundLost) {
				violations.add("baseline proposal " + proposal + " ran as " + describe(baseline));
			}
		});
		runs.stream().filter(run -> run.path("replicateOf").isNumber())
			.collect(Collectors.groupingBy(run -> run.get("replicateOf").asLong(), TreeMap::new, Collectors.toList()))
			.forEach((original, copies) -> {
				if (copies.size() > 1) {
					violations.add("run " + original + " was replicated as " + describe(copies));
				}
			});
		return violations;
	}

	static List<String> race(Night night, Chaos.Race race) {
		if (race == null) {
			return List.of("the race did not take place");
		}
		List<String> violations = new ArrayList<>();
		List<JsonNode> runs = ofKind(night.runs(), "PROPOSAL").stream()
			.filter(run -> ChaosFindings.proposalOf(run) == race.proposal())
			.toList();
		if (runs.isEmpty() || runs.size() > 2 || runs.size() == 2 && !isLost(runs.get(0))) {
			violations.add("proposal " + race.proposal() + " has " + runs.size() + " runs: " + describe(runs));
		}
		if (!Set.of(200, 409).containsAll(race.answers().keySet())) {
			violations.add("answers by status " + race.answers());
		}
		return violations;
	}

	/**
	 * Nothing waits for a follow-up that will never come: no proposal APPROVED or SCHEDULED with every run final,
	 * none of the loop's own left PROPOSED (its policy is auto),
	 * no successful candidate or replicate without a verdict, none still CONFIRMING, a best run behind any
	 * success and {@code nightshift/best} at its commit.
	 */
	static List<String> stuck(Night night) {
		List<String> violations = new ArrayList<>();
		boolean allFinal = night.runs().stream().allMatch(ChaosFindings::isFinal);
		for (JsonNode proposal : night.proposals()) {
			String status = proposal.get("status").asString();
			if (allFinal && ("APPROVED".equals(status) || "SCHEDULED".equals(status))) {
				violations.add("proposal " + proposal.get("id").asLong() + " " + status + " with no run to come");
			}
			// The loop's policy is auto: a proposal of its own left PROPOSED will never be approved by anyone.
			String proposer = ChaosFindings.text(proposal, "proposer");
			if ("PROPOSED".equals(status) && proposer != null && !proposer.startsWith("human:")) {
				violations.add("proposal " + proposal.get("id").asLong() + " of " + proposer
						+ " left PROPOSED under the auto policy");
			}
		}
		for (JsonNode run : night.runs()) {
			String verdict = ChaosFindings.text(run, "verdict");
			boolean candidate = !"BASELINE".equals(run.get("kind").asString());
			if (candidate && "SUCCEEDED".equals(run.get("status").asString()) && verdict == null) {
				violations.add("run " + run.get("id").asLong() + " " + run.get("kind").asString() + " SUCCEEDED without a verdict");
			}
			if (allFinal && "CONFIRMING".equals(verdict)) {
				violations.add("run " + run.get("id").asLong() + " still CONFIRMING with no replicate to come");
			}
		}
		JsonNode best = night.experiment().path("bestRun");
		boolean anySuccess = night.runs().stream().anyMatch(run -> "SUCCEEDED".equals(run.get("status").asString()));
		if (anySuccess && !best.isObject()) {
			violations.add("runs succeeded, yet the experiment has no best run");
		}
		else if (best.isObject() && !Objects.equals(ChaosFindings.text(best, "commit"), night.bestBranch())) {
			violations.add("nightshift/best is at " + night.bestBranch() + ", the best run " + best.get("id").asLong()
					+ " at " + ChaosFindings.text(best, "commit"));
		}
		return violations;
	}

	private static List<JsonNode> ofKind(List<JsonNode> runs, String kind) {
		return runs.stream().filter(run -> kind.equals(run.get("kind").asString())).toList();
	}

	private static boolean isLost(JsonNode run) {
		return "LOST".equals(run.get("status").asString());
	}

	private static String describe(List<JsonNode> runs) {
		return runs.stream().map(run -> run.get("id").asLong() + " " + run.get("status").asString())
			.collect(Collectors.joining(", ", "[", "]"));
	}

	static Map<String, Long> countBy(List<JsonNode> items, String field) {
		return items.stream().collect(Collectors.groupingBy(item -> item.get(field).asString(), TreeMap::new,
				Collectors.counting()));
	}
}
