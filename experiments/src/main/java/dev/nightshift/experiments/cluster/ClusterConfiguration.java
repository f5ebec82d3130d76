package dev.nightshift.experiments.cluster;

import dev.nightshift.experiments.database.NightshiftHome;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This server's identity and the settings of several servers on one database. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

	@Bean
	ServerIdentity serverIdentity(NightshiftHome home) {
		return ServerIdentity.of(home);
	}
}
