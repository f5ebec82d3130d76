package dev.nightshift.web.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionKind;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The research side of the experiment page: the approval queue, the questions tree and the dead-end log. */
@Component
class ResearchOverview {

	/** The most proposals the queue shows at once, oldest first. */
	static final int QUEUE_SIZE = 50;
	/** The most questions the tree shows. */
	static final int TREE_SIZE = 1000;
	/** The most dead ends the log shows, latest first. */
	static final int DEAD_ENDS = 100;

	private final ProposalRepository proposals;
	private final QuestionRepository questions;

	ResearchOverview(ProposalRepository proposals, QuestionRepository questions) {
		this.proposals = proposals;
		this.questions = questions;
	}

	/** A proposal waiting for a decision. */
	record QueueItem(long id, String question, String rationale, String expectedEffect, String params,
			boolean patch, boolean baseline, String proposer, Instant createdAt) {
	}

	record Queue(List<QueueItem> items, long total) {
	}

	/** A question in the tree; {@code depth} is how many ancestors it has. */
	/** {@code varies}: what the question's runs can be evidence about, "one factor: lr" or "exploration: lr, act". */
	record QuestionRow(long id, String text, String status, String conclusion, int depth, String varies) {
	}

	record DeadEnd(long id, String text, String status, String conclusion, Instant closedAt) {
	}

	/** The PROPOSED proposals, oldest first, with their questions read in one query. */
	@Transactional(readOnly = true)
	Queue queue(Experiment experiment) {
		Page<Proposal> waiting = proposals.findByExperimentIdAndStatusIn(experiment.id().value(),
				List.of(ProposalStatus.PROPOSED), PageRequest.of(0, QUEUE_SIZE, Sort.by("id")));
		Map<Long, Question> byId = questions.findAllById(waiting.getContent().stream()
			.map(p -> p.questionId().value())
			.collect(Collectors.toSet()))
			.stream()
			.collect(Collectors.toMap(q -> q.id().value(), Function.identity()));
		List<QueueItem> items = waiting.getContent().stream().map(p -> {
			Question question = byId.get(p.questionId().value());
			return new QueueItem(p.id().value(), question == null ? null : question.text(), p.rationale(),
					p.expectedEffect().orElse(null), params(p.params()), p.patch().isPresent(), p.isBaseline(), p.proposer(),
					p.createdAt());
		}).toList();
		return new Queue(items, waiting.getTotalElements());
	}

	/** Every question (up to {@link #TREE_SIZE}), each under its parent, in the order they were asked. */
	@Transactional(readOnly = true)
	List<QuestionRow> tree(Experiment experiment) {
		List<Question> all = questions.findByExperimentId(experiment.id().value(),
				PageRequest.of(0, TREE_SIZE, Sort.by("id"))).getContent();
		Set<Long> ids = all.stream().map(q -> q.id().value()).collect(Collectors.toSet());
		Map<Long, List<Question>> children = new LinkedHashMap<>();
		List<Question> roots = new ArrayList<>();
		for (Question question : all) {
			Long parent = question.parentId().map(p -> p.value()).filter(ids::contains).orElse(null);
			if (parent == null) {
				roots.add(question);
			}
			else {
				children.computeIfAbsent(parent, key -> new ArrayList<>()).add(question);
			}
		}
		List<QuestionRow> rows = new ArrayList<>();
		roots.forEach(root -> walk(root, 0, children, rows));
		return rows;
	}

	private static void walk(Question question, int depth, Map<Long, List<Question>> children, List<QuestionRow> rows) {
		String factors = String.join(", ", question.factors());
		String varies = question.kind() == QuestionKind.ONE_FACTOR ? "one factor: " + factors
				: factors.isEmpty() ? "exploration" : "exploration: " + factors;
		rows.add(new QuestionRow(question.id().value(), question.text(), question.status().name(),
				question.conclusion().orElse(null), depth, varies));
		children.getOrDefault(question.id().value(), List.of()).forEach(child -> walk(child, depth + 1, children, rows));
	}

	/** Questions closed as DEAD_END or REFUTED, latest first, with their conclusions. */
	@Transactional(readOnly = true)
	List<DeadEnd> deadEnds(Experiment experiment) {
		return questions.findByExperimentIdAndStatusIn(experiment.id().value(),
				List.of(QuestionStatus.DEAD_END, QuestionStatus.REFUTED),
				PageRequest.of(0, DEAD_ENDS, Sort.by(Sort.Order.desc("closedAt"), Sort.Order.desc("id"))))
			.stream()
			.map(q -> new DeadEnd(q.id().value(), q.text(), q.status().name(), q.conclusion().orElse(null),
					q.closedAt().orElse(null)))
			.toList();
	}

	/** Parameter values on one line: {@code lr=0.01, act=relu}. */
	static String params(Map<String, Object> params) {
		return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
	}
}
