package dev.nightshift.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The whole server on a real PostgreSQL, driven through MockMvc, with the Prometheus registry on as in
 * production; every web test shares this one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@NightshiftIntegrationTest
@AutoConfigureMockMvc
@AutoConfigureMetrics
@Import(TestAccounts.class)
public @interface WebIntegrationTest {
}
