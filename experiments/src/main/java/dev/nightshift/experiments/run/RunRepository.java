package dev.nightshift.experiments.run;

import java.util.List;

import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Runs of an experiment. */
public interface RunRepository extends JpaRepository<Run, Long> {

	Page<Run> findByExperimentId(long experimentId, Pageable page);

	Page<Run> findByExperimentIdAndStatusIn(long experimentId, List<RunStatus> statuses, Pageable page);

	List<Run> findByStatusIn(List<RunStatus> statuses);

	List<Run> findByStatusIn(List<RunStatus> statuses, Pageable page);

	long countByProposalIdAndStatusIn(Long proposalId, List<RunStatus> statuses);

	/** The run, or a {@link NotFoundException} naming the id. */
	default Run require(RunId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("run", id));
	}
}
