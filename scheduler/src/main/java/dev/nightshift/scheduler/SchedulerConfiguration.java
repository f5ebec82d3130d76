package dev.nightshift.scheduler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.scheduler.process.RunSupervisor;
import dev.nightshift.scheduler.sandbox.Bubblewrap;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.scheduler.slot.NvidiaSmi;
import dev.nightshift.scheduler.slot.SlotInventory;
import dev.nightshift.scheduler.workspace.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/** The scheduler's infrastructure: its settings, Quartz's JDBC store defaults, and the machine's slots. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SchedulerProperties.class, SandboxProperties.class })
@PropertySource("classpath:nightshift-scheduler.properties")
class SchedulerConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SchedulerConfiguration.class);

	@Bean
	SlotInventory slotInventory(SchedulerProperties properties) {
		return SlotInventory.discover(new NvidiaSmi(properties.nvidiaSmi()), properties.cpuSlots());
	}

	@Bean
	Workspaces workspaces(NightshiftHome home, SchedulerProperties properties) {
		return new Workspaces(home.repositoriesDirectory(), home.runsDirectory(), properties.gitTimeout());
	}

	/**
	 * The sandbox hides the whole Nightshift home (the database, credentials, every other run's directory: a
	 * run sees only its own), and shows the managed repositories read-only, since a run's checkout refers to
	 * its repository.
	 */
	@Bean
	Bubblewrap bubblewrap(NightshiftHome home, SandboxProperties sandbox) {
		List<Path> visible = new ArrayList<>(sandbox.visiblePaths());
		visible.add(home.repositoriesDirectory());
		return new Bubblewrap(List.of(home.home()), visible);
	}

	/** Probed once, at start: what bubblewrap can do here decides how every run is isolated. */
	@Bean
	SandboxSupport sandboxSupport(Bubblewrap bubblewrap) {
		SandboxSupport support = bubblewrap.probe();
		if (!support.sandbox() || !support.containment()) {
			log.warn("Sandbox: {}. Runs of proposals' code need the sandbox; trusted runs without containment are "
					+ "plain processes", support.detail());
		}
		else {
			log.info("Sandbox: {}, sandbox and containment available", support.detail());
		}
		return support;
	}

	@Bean
	RunSupervisor runSupervisor() {
		return new RunSupervisor();
	}
}
