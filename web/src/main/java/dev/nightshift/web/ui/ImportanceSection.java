package dev.nightshift.web.ui;

import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.importance.ParameterImportance;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The experiment page's "What matters" section: parameter importance bars with their caveat. The page fetches it
 * after it has shown (htmx, on load), so an estimate to recompute after a finished run never slows the page.
 */
@Controller
class ImportanceSection {

	private final ParameterImportance importance;

	ImportanceSection(ParameterImportance importance) {
		this.importance = importance;
	}

	/** One bar: a parameter, its importance, the bar's width in whole percent and its label. */
	record Bar(String name, double importance, long width, String label, boolean varied) {
	}

	record View(int runsUsed, int runsNeeded, boolean trustworthy, String note, List<Bar> bars) {

		static View of(Importance i) {
			return new View(i.runsUsed(), i.runsNeeded(), i.trustworthy(), i.note(), i.parameters().stream()
				.map(p -> new Bar(p.name(), p.importance(), Math.round(p.importance() * 100), p.percent(), p.varied()))
				.toList());
		}
	}

	@GetMapping("/experiments/{id}/importance")
	String section(@PathVariable long id, Model model) {
		model.addAttribute("importance", View.of(importance.of(new ExperimentId(id))));
		return "importance :: importance";
	}
}
