package dev.nightshift.web.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 11, item 6: an experiment with {@code source: /etc} was imported into the managed repository,
 * {@code shadow} included. Registration now refuses sources outside the allowed roots.
 */
@WebIntegrationTest
class SourceRootsApiTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@TempDir
	Path dir;

	@Test
	void systemFoldersAreRefusedWith400NamingTheFieldAndTheRule() throws Exception {
		for (String source : List.of("/etc", "/", "/proc")) {
			register(source)
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith("application/problem+json"))
				.andExpect(jsonPath("$.errors[0].field").value("source"))
				.andExpect(jsonPath("$.errors[0].rule").value("source-root"));
		}
	}

	@Test
	void aLinkToEtcInsideAnAllowedRootIsRefused() throws Exception {
		// The tests' temporary folder is an allowed root (see the tests' application.properties).
		Path link = Files.createSymbolicLink(dir.resolve("harmless-looking"), Path.of("/etc"));
		register(link.toString())
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("source"))
			.andExpect(jsonPath("$.errors[0].rule").value("source-root"));
	}

	@Test
	void theExampleSourceStillRegisters() throws Exception {
		register("examples/micro-gpt").andExpect(status().isCreated());
	}

	private org.springframework.test.web.servlet.ResultActions register(String source) throws Exception {
		String yaml = Yaml.microGpt().replaceFirst("\n", "\nsource: \"" + source + "\"\n");
		return mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml));
	}
}
