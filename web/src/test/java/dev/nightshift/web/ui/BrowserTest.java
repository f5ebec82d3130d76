package dev.nightshift.web.ui;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole server on a random port and the shared test database, driven through a real headless Chromium
 * ({@link Browser}, a parameter of the test's methods). Every browser test uses this annotation as it is, so
 * they share one Spring context with every other web test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebIntegrationTest
@ExtendWith(BrowserExtension.class)
public @interface BrowserTest {
}
