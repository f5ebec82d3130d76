package dev.nightshift.agent.loop;

import java.sql.Timestamp;
import java.util.OptionalInt;

import dev.nightshift.experiments.experiment.ExperimentId;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whose turn it is under the {@code hybrid} proposer, read from the database so a restart changes nothing: after
 * the latest kept run of a code change (a patch), the built-in strategy makes {@code tuning-runs} proposals around
 * it; then, and before any code change was kept, the LLM proposes. A code change that finished but was not judged
 * yet holds the turn back: the loop is woken again by its verdict (every successful proposal run gets one, the
 * reconciler sees to that after a crash).
 */
@Component
class HybridTurns {

	private final JdbcClient jdbc;
	private final HybridProperties properties;

	HybridTurns(JdbcClient jdbc, HybridProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The proposals the tuning strategy still makes around the latest kept code change (0 when it is the LLM's
	 * turn); empty while a code change has finished but awaits its verdict, which decides whose turn it is.
	 */
	OptionalInt tuningLeft(ExperimentId experiment) {
		record Tuning(boolean verdictDue, Timestamp keptAt, int made) {
		}
		Tuning tuning = jdbc.sql("""
				with kept as (
				    select r.finished_at from run r join proposal p on p.id = r.proposal_id
				    where r.experiment_id = :e and r.verdict = 'KEEP' and p.patch is not null
				    order by r.id desc limit 1
				)
				select exists (select 1 from run r join proposal p on p.id = r.proposal_id
				               where r.experiment_id = :e and r.kind = 'PROPOSAL' and r.status = 'SUCCEEDED'
				                 and r.verdict is null and p.patch is not null) as verdict_due,
				       (select finished_at from kept) as kept_at,
				       (select count(*) from proposal where experiment_id = :e and proposer like 'strategy:%'
				          and created_at >= (select finished_at from kept)) as made""")
			.param("e", experiment.value())
			.query((rs, row) -> new Tuning(rs.getBoolean("verdict_due"), rs.getTimestamp("kept_at"), rs.getInt("made")))
			.single();
		if (tuning.verdictDue()) {
			return OptionalInt.empty();
		}
		return OptionalInt.of(tuning.keptAt() == null ? 0 : Math.max(0, properties.tuningRuns() - tuning.made()));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HybridProperties.class)
	static class Settings {
	}
}
