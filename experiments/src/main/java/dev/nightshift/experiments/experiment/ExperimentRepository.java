package dev.nightshift.experiments.experiment;

import java.util.Optional;

import dev.nightshift.experiments.shared.NotFoundException;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Experiments by id and by name. */
public interface ExperimentRepository extends JpaRepository<Experiment, Long> {

	Optional<Experiment> findByName(String name);

	boolean existsByName(String name);

	/**
	 * The experiment, its row locked until the transaction ends: whoever moves its best (judging) takes turns,
	 * so two runs finishing at once are both judged, one after the other, instead of one losing an optimistic lock.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select e from Experiment e where e.id = :id")
	Optional<Experiment> findAndLockById(@Param("id") Long id);

	/** The experiment, or a {@link NotFoundException} naming the id. */
	default Experiment require(ExperimentId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("experiment", id));
	}
}
