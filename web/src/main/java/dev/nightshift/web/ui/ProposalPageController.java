package dev.nightshift.web.ui;

import dev.nightshift.experiments.proposal.ProposalId;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;

/** The proposal page: the question, the change and its rationale, the decision, the runs it led to. */
@Controller
class ProposalPageController {

	private final ProposalDetails details;

	ProposalPageController(ProposalDetails details) {
		this.details = details;
	}

	/** The whole page, or only its status part while htmx watches an approved proposal get scheduled and run. */
	@GetMapping("/proposals/{id}")
	String page(@PathVariable long id, @RequestHeader(value = Htmx.TARGET, required = false) String target,
			Model model) {
		model.addAttribute("proposal", details.of(new ProposalId(id)));
		return "status".equals(target) ? "proposal :: status" : "proposal";
	}
}
