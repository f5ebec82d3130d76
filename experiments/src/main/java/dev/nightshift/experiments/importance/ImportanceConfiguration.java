package dev.nightshift.experiments.importance;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The importance estimate's settings ({@code nightshift.importance.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImportanceProperties.class)
class ImportanceConfiguration {
}
