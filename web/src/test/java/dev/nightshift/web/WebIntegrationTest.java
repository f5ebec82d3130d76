package dev.nightshift.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.nightshift.testsupport.TestDatabaseInitializer;
import dev.nightshift.web.ui.Seed;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server on a random port and a real PostgreSQL, driven through MockMvc or a real browser, with the
 * Prometheus registry on as in production. Every web test, API and browser alike, uses exactly this, so they
 * share one Spring context: one scheduler, one research loop, one {@code NIGHTSHIFT_HOME}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@AutoConfigureMockMvc
@AutoConfigureMetrics
@Import({ TestAccounts.class, Seed.class })
public @interface WebIntegrationTest {
}
