package dev.nightshift.web.health;

import dev.nightshift.scheduler.disk.FreeDisk;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** DOWN while the disk of the Nightshift home is below {@code nightshift.health.min-free-disk}: runs are held. */
class HomeDiskHealth implements HealthIndicator {

	private final FreeDisk disk;

	HomeDiskHealth(FreeDisk disk) {
		this.disk = disk;
	}

	@Override
	public Health health() {
		FreeDisk.Reading reading = disk.read();
		Health.Builder health = reading.low() ? Health.down() : Health.up();
		return health.withDetail("path", reading.path().toString())
			.withDetail("free", reading.freeBytes())
			.withDetail("threshold", reading.minimum().toBytes())
			.withDetail("runs", reading.low() ? "held: queued runs wait until space is freed" : "dispatched")
			.build();
	}
}
