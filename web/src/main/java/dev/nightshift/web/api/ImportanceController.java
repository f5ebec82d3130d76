package dev.nightshift.web.api;

import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.importance.ParameterImportance;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** What matters in an experiment: the importance of each parameter, with how far to trust it. */
@RestController
class ImportanceController {

	private final ParameterImportance importance;

	ImportanceController(ParameterImportance importance) {
		this.importance = importance;
	}

	/**
	 * @param runsUsed    successful runs the estimate rests on (the newest, up to the configured cap)
	 * @param runsNeeded  successful runs needed before it is trustworthy
	 * @param explained   share of the objective's variation between runs the parameters explain, 0 to 1
	 * @param parameters  most important first; their {@code importance} fractions add up to 1 (or are all 0)
	 */
	record ImportanceView(long experimentId, int runsUsed, boolean capped, int runsNeeded, boolean trustworthy,
			double explained, String note, List<Importance.ParameterEffect> parameters) {

		static ImportanceView of(Importance i) {
			return new ImportanceView(i.experimentId().value(), i.runsUsed(), i.capped(), i.runsNeeded(),
					i.trustworthy(), i.explained(), i.note(), i.parameters());
		}
	}

	@GetMapping("/api/experiments/{id}/importance")
	ImportanceView importance(@PathVariable long id) {
		return ImportanceView.of(importance.of(new ExperimentId(id)));
	}
}
