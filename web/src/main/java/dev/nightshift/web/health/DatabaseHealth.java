package dev.nightshift.web.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The database's health with a deadline: {@code select 1} on a thread of its own, and DOWN when no answer comes
 * within the time-out, whatever the pool or the driver would wait (a stopped PostgreSQL kept Spring Boot's own check
 * waiting for 30 s). While a check that did not come back is still hanging, the next ones answer DOWN at once
 * rather than pile up threads. It replaces Boot's {@code db} indicator, whichever DataSource the server uses, the
 * embedded PostgreSQL's or {@code spring.datasource}'s.
 */
public class DatabaseHealth implements HealthIndicator, DisposableBean {

	private final DataSource dataSource;
	private final Duration timeout;
	private final ExecutorService checker = Executors.newSingleThreadExecutor(task -> {
		Thread thread = new Thread(task, "nightshift-db-health");
		thread.setDaemon(true);
		return thread;
	});
	private Future<String> pending;
	private Instant pendingSince;

	public DatabaseHealth(DataSource dataSource, Duration timeout) {
		this.dataSource = dataSource;
		this.timeout = timeout;
	}

	@Override
	public Health health() {
		Future<String> check;
		synchronized (this) {
			if (pending != null && !pending.isDone()) {
				return Health.down()
					.withDetail("error", "no answer to a check started at " + pendingSince + " yet")
					.withDetail("timeout", timeout.toString())
					.build();
			}
			pendingSince = Instant.now();
			pending = checker.submit(this::query);
			check = pending;
		}
		try {
			return Health.up().withDetail("database", check.get(timeout.toMillis(), TimeUnit.MILLISECONDS))
				.withDetail("validationQuery", "select 1")
				.build();
		}
		catch (TimeoutException slow) {
			return Health.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
		}
		catch (ExecutionException failed) {
			return Health.down(failed.getCause() instanceof Exception ex ? ex : failed).build();
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			return Health.down().withDetail("error", "interrupted").build();
		}
	}

	private String query() throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			// Frees this thread soon after the deadline too, once a connection was had: a hung socket read ends.
			connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis() * 2));
			statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
			statement.execute("select 1");
			return connection.getMetaData().getDatabaseProductName();
		}
	}

	@Override
	public void destroy() {
		checker.shutdownNow();
	}
}
