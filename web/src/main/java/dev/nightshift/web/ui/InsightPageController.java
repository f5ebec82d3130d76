package dev.nightshift.web.ui;

import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * What shows which runs mattered: the parallel-coordinates data of the experiment page, and the compare page
 * of two to five runs ({@code /compare?runs=3,5,8}). A bad pick is a 400 page that says what is wrong.
 */
@Controller
class InsightPageController {

	private final ExperimentRepository experiments;
	private final ParallelCoordinates parallel;
	private final RunComparison comparison;

	InsightPageController(ExperimentRepository experiments, ParallelCoordinates parallel, RunComparison comparison) {
		this.experiments = experiments;
		this.parallel = parallel;
		this.comparison = comparison;
	}

	/** The parallel-coordinates panel's axes and lines, fetched by the page's script. */
	@GetMapping("/experiments/{id}/parallel")
	@ResponseBody
	@Transactional(readOnly = true)
	ParallelCoordinates.Data parallel(@PathVariable long id) {
		return parallel.of(experiments.require(new ExperimentId(id)));
	}

	@GetMapping("/compare")
	String compare(@RequestParam(name = "runs", required = false) List<String> runs, Model model,
			HttpServletResponse response) {
		try {
			model.addAttribute("compare", comparison.of(RunComparison.parse(runs)));
			return "compare";
		}
		catch (RunComparison.BadPick bad) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("status", HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error", "Cannot compare these runs");
			model.addAttribute("message", bad.getMessage());
			return "error";
		}
	}
}
