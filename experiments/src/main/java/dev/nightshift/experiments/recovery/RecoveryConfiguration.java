package dev.nightshift.experiments.recovery;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/** Crash recovery's settings and the event publication registry's defaults ({@code nightshift-events.properties}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecoveryProperties.class)
@PropertySource("classpath:nightshift-events.properties")
class RecoveryConfiguration {
}
