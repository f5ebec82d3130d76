package dev.nightshift.experiments.question;

import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Questions of an experiment. */
public interface QuestionRepository extends JpaRepository<Question, Long> {

	Page<Question> findByExperimentId(long experimentId, Pageable page);

	Page<Question> findByExperimentIdAndStatusIn(long experimentId, List<QuestionStatus> statuses, Pageable page);

	Optional<Question> findFirstByExperimentIdAndStatusAndText(long experimentId, QuestionStatus status, String text);

	/** The question, or a {@link NotFoundException} naming the id. */
	default Question require(QuestionId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("question", id));
	}
}
