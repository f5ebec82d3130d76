package dev.nightshift.web.ui;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.nightshift.testsupport.TestDatabaseInitializer;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server on a random port and the shared test database, driven through a real headless Chromium
 * ({@link Browser}, a parameter of the test's methods). Every browser test uses this annotation as it is, so
 * they share one Spring context; it is {@code WebIntegrationTest} on a real port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@AutoConfigureMockMvc
@AutoConfigureMetrics
@Import({ TestAccounts.class, Seed.class })
@ExtendWith(BrowserExtension.class)
public @interface BrowserTest {
}
