package dev.nightshift.agent.loop;

import dev.nightshift.agent.context.DigestRenderer;
import dev.nightshift.agent.llm.DigestText;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The LLM researcher reads the full digest of the research context, within its token budget. */
@Configuration(proxyBeanMethods = false)
class DigestWiring {

	@Bean
	DigestText digestText(DigestRenderer renderer) {
		return renderer::render;
	}
}
