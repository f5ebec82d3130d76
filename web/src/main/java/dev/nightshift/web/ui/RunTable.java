package dev.nightshift.web.ui;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.nightshift.agent.loop.RunCosts;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * One page of an experiment's runs table. Filtering, sorting and paging happen in SQL; the proposals and
 * questions the rows name are then read in one query each, never one per row.
 */
@Component
class RunTable {

	private final RunRepository runs;
	private final ProposalRepository proposals;
	private final QuestionRepository questions;
	private final RunCosts costs;
	private final JsonMapper json = JsonMapper.builder().build();

	RunTable(RunRepository runs, ProposalRepository proposals, QuestionRepository questions, RunCosts costs) {
		this.runs = runs;
		this.proposals = proposals;
		this.questions = questions;
		this.costs = costs;
	}

	/**
	 * @param id         the row's run
	 * @param question   the research question of its proposal, if it has one
	 * @param duration   how long it ran (or has been running)
	 * @param best       whether it is the experiment's best run
	 * @param cost       what it cost its proposers (its proposal's share and its reflection's), blank for nothing
	 * @param costDetail the two shares in words
	 * @param params     its parameters as a JSON object, for the parallel-coordinates brush to filter rows by
	 */
	record Row(long id, String status, String kind, Double objective, String verdict, String verdictReason, Long proposalId,
			String question, String slot, String commit, Instant queuedAt, Instant startedAt, Instant finishedAt,
			String duration, boolean best, String cost, String costDetail, String params) {
	}

	/** The rows of one page, with what the pager needs. */
	record View(List<Row> rows, RunsQuery query, long totalItems, int totalPages) {

		public boolean hasPrevious() {
			return query.page() > 1;
		}

		public boolean hasNext() {
			return query.page() < totalPages;
		}

		public long firstItem() {
			return rows.isEmpty() ? 0 : (long) (query.page() - 1) * query.size() + 1;
		}

		public long lastItem() {
			return rows.isEmpty() ? 0 : firstItem() + rows.size() - 1;
		}
	}

	@Transactional(readOnly = true)
	View page(long experimentId, Long bestRunId, RunsQuery query) {
		Page<Run> found = query.statuses().isEmpty() ? runs.findByExperimentId(experimentId, query.pageable())
				: runs.findByExperimentIdAndStatusIn(experimentId, query.statuses(), query.pageable());
		Map<Long, Proposal> byProposal = byId(proposals.findAllById(found.getContent()
			.stream()
			.map(run -> run.proposalId().map(p -> p.value()).orElse(null))
			.filter(Objects::nonNull)
			.collect(Collectors.toSet())), p -> p.id().value());
		Map<Long, Question> byQuestion = byId(questions.findAllById(byProposal.values()
			.stream()
			.map(p -> p.questionId().value())
			.collect(Collectors.toSet())), q -> q.id().value());
		Map<Long, RunCosts.Cost> costOf = costs.of(found.getContent().stream().map(run -> run.id().value()).toList());
		Instant now = Instant.now();
		List<Row> rows = found.getContent().stream().map(run -> {
			Proposal proposal = run.proposalId().map(p -> byProposal.get(p.value())).orElse(null);
			Question question = proposal == null ? null : byQuestion.get(proposal.questionId().value());
			Instant end = run.finishedAt().orElse(run.status().isFinished() ? null : now);
			RunCosts.Cost cost = costOf.get(run.id().value());
			return new Row(run.id().value(), run.status().name(), run.kind().name(), run.objective().orElse(null),
					run.verdict().map(Enum::name).orElse(null), run.verdictReason().orElse(null), proposal == null ? null : proposal.id().value(),
					question == null ? null : question.text(), run.slot().orElse(null),
					run.commit().map(c -> c.substring(0, Math.min(10, c.length()))).orElse(null), run.queuedAt(),
					run.startedAt().orElse(null), run.finishedAt().orElse(null),
					Elapsed.between(run.startedAt().orElse(null), end), bestRunId != null && bestRunId == run.id().value(),
					cost == null ? "" : cost.label(), cost == null ? null : cost.detail(),
					json.writeValueAsString(run.params()));
		}).toList();
		return new View(rows, query, found.getTotalElements(), found.getTotalPages());
	}

	private static <T> Map<Long, T> byId(List<T> items, Function<T, Long> id) {
		return items.stream().collect(Collectors.toMap(id, Function.identity()));
	}
}
