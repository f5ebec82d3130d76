package dev.nightshift.experiments.recovery;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.stereotype.Component;

/**
 * Keeps the event publication registry in order while the server runs: a follow-up whose listener threw is
 * resubmitted (up to {@code nightshift.recovery.max-attempts} times), and completed publications older than
 * {@code nightshift.recovery.keep-completed} are deleted.
 */
@Component
class EventPublications implements Repair {

	private final FailedEventPublications failed;
	private final CompletedEventPublications completed;
	private final JdbcClient jdbc;
	private final RecoveryProperties properties;

	EventPublications(FailedEventPublications failed, CompletedEventPublications completed, JdbcClient jdbc,
			RecoveryProperties properties) {
		this.failed = failed;
		this.completed = completed;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	@Override
	public String name() {
		return "failed follow-ups resubmitted";
	}

	@Override
	public int repair() {
		completed.deletePublicationsOlderThan(properties.keepCompleted());
		int maxAttempts = properties.maxAttempts();
		int count = jdbc.sql("""
				select count(*) from event_publication
				where status = 'FAILED' and coalesce(completion_attempts, 0) < ?""")
			.param(maxAttempts)
			.query(Integer.class)
			.single();
		if (count > 0) {
			failed.resubmit(ResubmissionOptions.defaults()
				.withFilter(publication -> publication.getCompletionAttempts() < maxAttempts));
		}
		return count;
	}
}
