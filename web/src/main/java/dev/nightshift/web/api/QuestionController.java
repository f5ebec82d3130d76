package dev.nightshift.web.api;

import java.util.Set;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The questions of an experiment; {@code ?status=DEAD_END} is the dead-end log. */
@RestController
class QuestionController {

	private final QuestionRepository questions;
	private final ExperimentRepository experiments;

	QuestionController(QuestionRepository questions, ExperimentRepository experiments) {
		this.questions = questions;
		this.experiments = experiments;
	}

	@GetMapping("/api/experiments/{id}/questions")
	@Transactional(readOnly = true)
	PageView<Views.QuestionView> list(@PathVariable long id, @RequestParam(required = false) String status,
			@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
		experiments.require(new ExperimentId(id));
		Pageable pageable = Paging.pageable(page, size, null, Set.of(), Sort.by(Sort.Order.desc("id")));
		var statuses = Paging.statuses(status, QuestionStatus.class);
		Page<Question> found = statuses.isEmpty() ? questions.findByExperimentId(id, pageable)
				: questions.findByExperimentIdAndStatusIn(id, statuses, pageable);
		return PageView.of(found, Views.QuestionView::of);
	}
}
