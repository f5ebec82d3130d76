package dev.nightshift.experiments.loop;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/** Loops of an experiment. */
public interface LoopRepository extends JpaRepository<Loop, Long> {

	/** The loop that is not over, if there is one (the schema allows at most one). */
	Optional<Loop> findFirstByExperimentIdAndStatusIn(long experimentId, List<LoopStatus> statuses);

	/** The most recent loop of the experiment, over or not. */
	Optional<Loop> findFirstByExperimentIdOrderByIdDesc(long experimentId);

	List<Loop> findByStatusIn(List<LoopStatus> statuses);

	default Optional<Loop> findActive(long experimentId) {
		return findFirstByExperimentIdAndStatusIn(experimentId, List.of(LoopStatus.RUNNING, LoopStatus.PAUSED));
	}
}
