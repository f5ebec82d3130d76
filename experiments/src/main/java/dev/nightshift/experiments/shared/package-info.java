/** Failures that every use case can raise, each mapped to one HTTP status by the web layer. */
package dev.nightshift.experiments.shared;
