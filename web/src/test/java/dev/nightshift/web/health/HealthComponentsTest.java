package dev.nightshift.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;

/**
 * The server's {@code db} health component is its own check with a deadline ({@link DatabaseHealth}, tried against
 * a frozen PostgreSQL in {@link DatabaseHealthTest}), not Spring Boot's, which waits as long as the pool does.
 */
@WebIntegrationTest
class HealthComponentsTest {

	@Autowired
	ApplicationContext context;

	@Test
	void theDatabaseComponentIsTheCheckWithADeadlineAndTheOnlyDatabaseCheck() {
		assertThat(context.getBean("dbHealthIndicator")).isInstanceOf(DatabaseHealth.class);
		assertThat(context.getBeansOfType(HealthIndicator.class).values())
			.filteredOn(indicator -> indicator.getClass().getName().contains("DataSourceHealth"))
			.isEmpty();
	}
}
