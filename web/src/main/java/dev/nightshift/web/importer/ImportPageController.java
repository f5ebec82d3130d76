package dev.nightshift.web.importer;

import java.security.Principal;

import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.spec.SpecValidationException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The home page's import form (ADMIN): the path gives a review page with the specification read off the
 * repository; saving it registers the experiment with its history and opens its page. A problem (no program.md,
 * a path outside the source roots, a bad line in results.tsv) is shown, not thrown.
 */
@Controller
class ImportPageController {

	private final ImportAutoresearch imports;

	ImportPageController(ImportAutoresearch imports) {
		this.imports = imports;
	}

	@PostMapping("/ui/import")
	String review(@RequestParam String path, Model model, RedirectAttributes flash) {
		try {
			model.addAttribute("review", imports.review(new ImportAutoresearch.Command(path, null, null)));
			return "import";
		}
		catch (InvalidRequestException | SpecValidationException ex) {
			flash.addFlashAttribute("problem", "Cannot import " + path + ": " + ex.getMessage());
			return "redirect:/";
		}
	}

	@PostMapping("/ui/import/save")
	String save(@RequestParam String path, @RequestParam String spec, Principal user, RedirectAttributes flash) {
		try {
			ImportAutoresearch.Imported imported = imports.save(new ImportAutoresearch.Command(path, null, spec),
					"human:" + user.getName());
			flash.addFlashAttribute("notice", "Imported " + imported.name() + " with " + imported.runs()
					+ " run(s) of history.");
			return "redirect:/experiments/" + imported.experimentId();
		}
		catch (InvalidRequestException | SpecValidationException | ConflictException ex) {
			flash.addFlashAttribute("problem", "Cannot import " + path + ": " + ex.getMessage());
			return "redirect:/";
		}
	}
}
