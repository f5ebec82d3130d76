package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code strategy:random}: every parameter drawn uniformly from its range (log-uniformly for {@code log:
 * true}, every integer and every choice equally likely). The baseline any other strategy must beat, and a
 * fair way to map a space nobody knows yet.
 */
public final class RandomSearch extends SearchStrategy {

	public RandomSearch() {
		super("random");
	}

	@Override
	Candidate next(Search search) {
		Map<String, Object> params = search.uniformDraw();
		if (params == null) {
			return null;
		}
		List<String> names = new ArrayList<>(params.keySet());
		String question = "Is there a better region of the space around " + Wording.assignments(params, names) + "?";
		String rationale = "Random search: a uniform draw" + logNote(search) + " after "
				+ search.trials().size() + " runs; " + Wording.bestSoFar(search.context()) + ".";
		return new Candidate(params, question, rationale,
				"most random draws do not beat the best; each one maps an unexplored part of the space");
	}

	private static String logNote(Search search) {
		List<String> logNames = new ArrayList<>();
		for (Dimension dimension : search.space().dimensions()) {
			if (dimension.isLog()) {
				logNames.add(dimension.name());
			}
		}
		return logNames.isEmpty() ? "" : " (log-uniform for " + String.join(", ", logNames) + ")";
	}
}
