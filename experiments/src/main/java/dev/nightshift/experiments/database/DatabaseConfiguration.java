package dev.nightshift.experiments.database;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Locks {@code NIGHTSHIFT_HOME} for this server and, when no {@code spring.datasource.url} is set, starts
 * the embedded PostgreSQL and offers it as the application's {@link DataSource}; Boot's own data source
 * configuration then backs off.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NightshiftHome.class)
class DatabaseConfiguration {

	@Bean(destroyMethod = "close")
	HomeLock homeLock(NightshiftHome home) {
		return HomeLock.acquire(home.home());
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(NoDataSourceUrlCondition.class)
	static class Embedded {

		@Bean(destroyMethod = "close")
		EmbeddedPostgresServer embeddedPostgresServer(NightshiftHome home, HomeLock lock) {
			return EmbeddedPostgresServer.start(home.databaseDirectory(), home.databaseCredentialsFile());
		}

		@Bean(destroyMethod = "close")
		HikariDataSource dataSource(EmbeddedPostgresServer server) {
			HikariConfig config = new HikariConfig();
			config.setPoolName("nightshift-embedded");
			config.setJdbcUrl(server.jdbcUrl());
			config.setUsername(server.username());
			config.setPassword(server.password());
			config.setMaximumPoolSize(10);
			return new HikariDataSource(config);
		}
	}
}
