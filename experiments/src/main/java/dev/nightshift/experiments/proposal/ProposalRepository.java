package dev.nightshift.experiments.proposal;

import java.util.List;

import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Proposals of an experiment. */
public interface ProposalRepository extends JpaRepository<Proposal, Long> {

	Page<Proposal> findByExperimentId(long experimentId, Pageable page);

	Page<Proposal> findByExperimentIdAndStatusIn(long experimentId, List<ProposalStatus> statuses, Pageable page);

	/** The proposal, or a {@link NotFoundException} naming the id. */
	default Proposal require(ProposalId id) {
		return findById(id.value()).orElseThrow(() -> new NotFoundException("proposal", id));
	}
}
