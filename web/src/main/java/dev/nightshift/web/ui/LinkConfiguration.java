package dev.nightshift.web.ui;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Links are written as the templates spell them. Spring Boot's Thymeleaf support installs
 * {@link ResourceUrlEncodingFilter} because the WebJars locator is present; it rewrites every link of a page into a versioned resource path if one
 * exists, which means looking each link up as a classpath resource in every static location: a runs table of
 * fifty rows spent most of its rendering there (bench/: history). Nothing here needs versioned links; the
 * WebJars handler still resolves the version-less {@code /webjars/...} paths the templates use.
 */
@Configuration(proxyBeanMethods = false)
class LinkConfiguration {

	/** Takes the place of the Thymeleaf auto-configuration's registration, which backs off when one exists. */
	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration =
				new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
		registration.setEnabled(false);
		return registration;
	}
}
