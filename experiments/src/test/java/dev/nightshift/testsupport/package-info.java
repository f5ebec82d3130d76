/**
 * Test support shared by every module (published as the experiments test-jar): the one place that picks the
 * PostgreSQL the tests run against, and the composed annotation for integration tests.
 */
package dev.nightshift.testsupport;
