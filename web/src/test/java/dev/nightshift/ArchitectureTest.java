package dev.nightshift;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of the README's design section, checked on the compiled classes. */
class ArchitectureTest {

	static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.nightshift");
	}

	@Test
	void theDomainCoreDependsOnNoOtherModule() {
		noClasses().that().resideInAPackage("dev.nightshift.experiments..")
			.should().dependOnClassesThat().resideInAnyPackage("dev.nightshift.agent..", "dev.nightshift.scheduler..",
					"dev.nightshift.web..")
			.check(classes);
	}

	@Test
	void agentAndSchedulerDoNotKnowEachOther() {
		noClasses().that().resideInAPackage("dev.nightshift.agent..")
			.should().dependOnClassesThat().resideInAnyPackage("dev.nightshift.scheduler..", "dev.nightshift.web..")
			.allowEmptyShould(true)
			.check(classes);
		noClasses().that().resideInAPackage("dev.nightshift.scheduler..")
			.should().dependOnClassesThat().resideInAnyPackage("dev.nightshift.agent..", "dev.nightshift.web..")
			.allowEmptyShould(true)
			.check(classes);
	}
}
