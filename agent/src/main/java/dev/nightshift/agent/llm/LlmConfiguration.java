package dev.nightshift.agent.llm;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The LLM researcher, present when {@code nightshift.agent.provider} is set. Its digest is the application's
 * {@link DigestText} bean when there is one, the minimal {@link PlainDigest} otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgentProperties.class)
class LlmConfiguration {

	@Bean
	@ConditionalOnProperty(prefix = "nightshift.agent", name = "provider")
	LlmResearcher llmResearcher(AgentProperties properties, ObjectProvider<DigestText> digest,
			ApplicationEventPublisher events) {
		LlmResearcher researcher = new LlmResearcher(properties, digest.getIfAvailable(PlainDigest::new));
		researcher.reportCallsTo(events::publishEvent);
		return researcher;
	}
}
