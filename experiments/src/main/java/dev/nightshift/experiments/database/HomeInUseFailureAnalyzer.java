package dev.nightshift.experiments.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused home lock into a short start-up message instead of a stack trace. */
class HomeInUseFailureAnalyzer extends AbstractFailureAnalyzer<HomeInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, HomeInUseException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Stop the other server, or set NIGHTSHIFT_HOME (or nightshift.home) to another folder.", cause);
	}
}
