package dev.nightshift.web.ui;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page and the list of experiments. */
@Controller
class PageController {

	private final ExperimentRepository experiments;

	PageController(ExperimentRepository experiments) {
		this.experiments = experiments;
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	@GetMapping("/")
	@Transactional(readOnly = true)
	String home(Model model) {
		model.addAttribute("experiments", experiments.findAll(Sort.by("id"))
			.stream()
			.map(e -> new ExperimentRow(e.id().value(), e.name(), e.spec().objective().metric(),
					e.spec().objective().goal().name().toLowerCase(), e.createdAt().toString()))
			.toList());
		return "home";
	}

	record ExperimentRow(long id, String name, String metric, String goal, String createdAt) {
	}
}
