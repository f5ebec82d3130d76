package dev.nightshift.agent.validation;

import java.util.List;

import dev.nightshift.experiments.proposal.Proposal;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/**
 * Earlier proposals that a draft would duplicate. Parameters are compared as {@code jsonb}, so key order and
 * number spelling ({@code 1} and {@code 1.0}) do not matter; patches are compared as stored text.
 */
interface EarlierProposals extends Repository<Proposal, Long> {

	/**
	 * Ids and statuses ({@code "12 APPROVED"}) of the experiment's proposals other than REJECTED ones with these
	 * parameters (a JSON object) and this patch (null for none), oldest first.
	 */
	@Query(value = """
			select p.id || ' ' || p.status from proposal p
			where p.experiment_id = :experimentId and p.status <> 'REJECTED'
			  and cast(p.params as jsonb) = cast(:params as jsonb)
			  and coalesce(p.patch, '') = coalesce(cast(:patch as text), '')
			order by p.id""", nativeQuery = true)
	List<String> sameChange(@Param("experimentId") long experimentId, @Param("params") String params,
			@Param("patch") String patch);
}
