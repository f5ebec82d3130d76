package dev.nightshift.experiments.proposal;

import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Proposals of an experiment. */
public interface ProposalRepository extends JpaRepository<Proposal, Long> {

	Page<Proposal> findByExperimentId(long experimentId, Pageable page);

	Page<Proposal> findByExperimentIdAndStatusIn(long experimentId, List<ProposalStatus> statuses, Pageable page);

	/**
	 * The proposal, its row locked until the transaction ends: runs of one proposal (a baseline's replicates)
	 * that end at the same instant take turns deciding whether it is done, so the last one always sees the
	 * others final instead of each seeing the other still running.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select p from Proposal p where p.id = :id")
	Optional<Proposal> findAndLockById(@Param("id") Long id);

	/** The proposal, locked as {@link #findAndLockById}, or a {@link NotFoundException} naming the id. */
	default Proposal lock(ProposalId id) {
		return findAndLockById(id.value()).orElseThrow(() -> new NotFoundException("proposal", id));
	}

	/** The proposal, or a {@link NotFoundException} naming the id. */
	default Proposal require(ProposalId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("proposal", id));
	}
}
