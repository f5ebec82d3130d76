package dev.nightshift.web.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the server's health.
 *
 * @param dbTimeout   how long the database has to answer a health check before health says DOWN (default 3 s)
 * @param minFreeDisk free space under the home below which health says DOWN and no run starts (default 1GB; read
 *                    by the scheduler at each dispatch)
 */
@ConfigurationProperties("nightshift.health")
public record HealthProperties(Duration dbTimeout, DataSize minFreeDisk) {

	public HealthProperties {
		dbTimeout = dbTimeout == null ? Duration.ofSeconds(3) : dbTimeout;
		if (dbTimeout.isZero() || dbTimeout.isNegative()) {
			throw new IllegalArgumentException("nightshift.health.db-timeout must be positive, was " + dbTimeout);
		}
		minFreeDisk = minFreeDisk == null ? DataSize.ofGigabytes(1) : minFreeDisk;
	}
}
