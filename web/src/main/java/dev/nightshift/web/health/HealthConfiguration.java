package dev.nightshift.web.health;

import javax.sql.DataSource;

import dev.nightshift.scheduler.disk.FreeDisk;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The server's own health checks; the bean names make them the {@code db} and {@code homeDisk} components. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
class HealthConfiguration {

	// Named as Spring Boot's own database check, which then steps aside.
	@Bean
	DatabaseHealth dbHealthIndicator(DataSource dataSource, HealthProperties properties) {
		return new DatabaseHealth(dataSource, properties.dbTimeout());
	}

	@Bean
	HomeDiskHealth homeDiskHealthIndicator(FreeDisk disk) {
		return new HomeDiskHealth(disk);
	}
}
