package dev.nightshift.experiments.run;

import java.util.List;

import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Runs of an experiment. */
public interface RunRepository extends JpaRepository<Run, Long> {

	// The page totals count rows with count(*), which PostgreSQL answers from an index; the derived count(r.id)
	// read every row of the experiment (bench/: history).
	@Query(value = "select r from Run r where r.experimentId = :experimentId",
			countQuery = "select count(*) from Run r where r.experimentId = :experimentId")
	Page<Run> findByExperimentId(@Param("experimentId") long experimentId, Pageable page);

	@Query(value = "select r from Run r where r.experimentId = :experimentId and r.status in :statuses",
			countQuery = "select count(*) from Run r where r.experimentId = :experimentId and r.status in :statuses")
	Page<Run> findByExperimentIdAndStatusIn(@Param("experimentId") long experimentId,
			@Param("statuses") List<RunStatus> statuses, Pageable page);

	List<Run> findByStatusIn(List<RunStatus> statuses);

	List<Run> findByStatusIn(List<RunStatus> statuses, Pageable page);

	long countByProposalIdAndStatusIn(Long proposalId, List<RunStatus> statuses);

	/** The run, or a {@link NotFoundException} naming the id. */
	default Run require(RunId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("run", id));
	}
}
