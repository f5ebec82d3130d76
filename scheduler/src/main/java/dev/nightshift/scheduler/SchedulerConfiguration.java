package dev.nightshift.scheduler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.scheduler.process.RunSupervisor;
import dev.nightshift.scheduler.sandbox.Bubblewrap;
import dev.nightshift.scheduler.slot.NvidiaSmi;
import dev.nightshift.scheduler.slot.SlotInventory;
import dev.nightshift.scheduler.workspace.Workspaces;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/** The scheduler's infrastructure: its settings, Quartz's JDBC store defaults, and the machine's slots. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SchedulerProperties.class, SandboxProperties.class })
@PropertySource("classpath:nightshift-scheduler.properties")
class SchedulerConfiguration {

	@Bean
	SlotInventory slotInventory(SchedulerProperties properties) {
		return SlotInventory.discover(new NvidiaSmi(properties.nvidiaSmi()), properties.cpuSlots());
	}

	@Bean
	Workspaces workspaces(NightshiftHome home, SchedulerProperties properties) {
		return new Workspaces(home.repositoriesDirectory(), home.runsDirectory(), properties.gitTimeout());
	}

	/**
	 * The sandbox hides the database and every other run's directory (a run sees only its own), and shows the
	 * managed repositories read-only, since a run's checkout refers to its repository.
	 */
	@Bean
	Bubblewrap bubblewrap(NightshiftHome home, SandboxProperties sandbox) {
		List<Path> visible = new ArrayList<>(sandbox.visiblePaths());
		visible.add(home.repositoriesDirectory());
		return new Bubblewrap(List.of(home.databaseDirectory(), home.runsDirectory()), visible);
	}

	@Bean
	RunSupervisor runSupervisor() {
		return new RunSupervisor();
	}
}
