package dev.nightshift.experiments.experiment;

import java.util.Optional;

import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.data.jpa.repository.JpaRepository;

/** Experiments by id and by name. */
public interface ExperimentRepository extends JpaRepository<Experiment, Long> {

	Optional<Experiment> findByName(String name);

	boolean existsByName(String name);

	/** The experiment, or a {@link NotFoundException} naming the id. */
	default Experiment require(ExperimentId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("experiment", id));
	}
}
