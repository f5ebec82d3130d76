package dev.nightshift.web.importer;

import java.net.URI;
import java.security.Principal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/experiments/import} (ADMIN): with {@code "dryRun": true} the specification read off the
 * repository, for review; otherwise the experiment registered with its history, 201.
 */
@RestController
class ImportController {

	private final ImportAutoresearch imports;

	ImportController(ImportAutoresearch imports) {
		this.imports = imports;
	}

	/**
	 * @param path   the repository, under the allowed source roots
	 * @param name   the experiment's name; the folder's when absent
	 * @param spec   the reviewed specification (JSON text) to save instead of the one read off the repository
	 * @param dryRun review only, save nothing
	 */
	record ImportRequest(String path, String name, String spec, Boolean dryRun) {
	}

	@PostMapping("/api/experiments/import")
	ResponseEntity<?> importRepository(@RequestBody ImportRequest request, Principal user) {
		ImportAutoresearch.Command command = new ImportAutoresearch.Command(request.path(), request.name(), request.spec());
		if (Boolean.TRUE.equals(request.dryRun())) {
			return ResponseEntity.ok(imports.review(command));
		}
		ImportAutoresearch.Imported imported = imports.save(command, "human:" + user.getName());
		return ResponseEntity.created(URI.create("/api/experiments/" + imported.experimentId())).body(imported);
	}
}
