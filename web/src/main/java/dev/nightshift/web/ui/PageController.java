package dev.nightshift.web.ui;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;

/** The login page and the dashboard: experiments with their loops, and the slots with what each runs. */
@Controller
class PageController {

	private final Dashboard dashboard;
	private final UsageView usage;

	PageController(Dashboard dashboard, UsageView usage) {
		this.dashboard = dashboard;
		this.usage = usage;
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	/** The whole page, or only the board when htmx refreshes it. */
	@GetMapping("/")
	String home(Model model, @RequestHeader(value = Htmx.TARGET, required = false) String target) {
		model.addAttribute("board", dashboard.view());
		model.addAttribute("loads", usage.slots());
		return "board".equals(target) ? "home :: board" : "home";
	}
}
