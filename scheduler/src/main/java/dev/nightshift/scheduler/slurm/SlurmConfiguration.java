package dev.nightshift.scheduler.slurm;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.SlotCapacity;
import dev.nightshift.scheduler.dispatch.DispatchTrigger;
import dev.nightshift.scheduler.execution.RunPreparation;
import dev.nightshift.scheduler.execution.RunRecorder;
import dev.nightshift.scheduler.pruning.LivePruning;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.scheduler.slot.SlotInventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;

/**
 * The Slurm executor's beans. It always exists; it takes only the runs of experiments that name
 * {@code executor: slurm}, or of every experiment that names none when {@code nightshift.executor=slurm}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SlurmProperties.class)
class SlurmConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SlurmConfiguration.class);

	@Bean
	SlurmExecutor slurmExecutor(SlurmProperties properties, @Value("${nightshift.executor:local}") String executor,
			SandboxSupport support, RunPreparation preparation, RunRecorder recorder, RunRepository runs,
			ExperimentRepository experiments, MetricPoints metrics, LivePruning pruning, @Lazy DispatchTrigger trigger) {
		String defaultExecutor = executor.strip();
		if (!dev.nightshift.experiments.spec.Execution.EXECUTORS.contains(defaultExecutor)) {
			throw new IllegalArgumentException("nightshift.executor must be one of "
					+ dev.nightshift.experiments.spec.Execution.EXECUTORS + ", was " + executor);
		}
		SlurmCommands commands = new SlurmCommands(properties.binDir(), properties.commandTimeout());
		if ("slurm".equals(defaultExecutor) && !commands.available("sbatch")) {
			log.warn("nightshift.executor=slurm, but sbatch is not found{}: runs will fail to submit",
					properties.binDir().isEmpty() ? " on PATH" : " in " + properties.binDir());
		}
		SandboxSupport nodes = properties.nodesHaveBubblewrap() ? support
				: new SandboxSupport(false, false, "the Slurm nodes have no bubblewrap"
						+ " (nightshift.slurm.nodes-have-bubblewrap=false)");
		return new SlurmExecutor(properties, defaultExecutor, nodes, commands, preparation, recorder, runs, experiments,
				metrics, pruning, trigger);
	}

	/**
	 * What the research loop plans with: this machine's slots for local experiments, the Slurm places
	 * ({@code nightshift.slurm.max-jobs}) for Slurm experiments.
	 */
	@Bean
	@Primary
	SlotCapacity executorCapacity(SlotInventory inventory, SlurmExecutor slurm) {
		return new SlotCapacity() {
			@Override
			public int concurrentRuns() {
				return inventory.concurrentRuns();
			}

			@Override
			public int concurrentRuns(dev.nightshift.experiments.spec.ExperimentSpec spec) {
				return slurm.takes(spec) ? slurm.maxJobs() : inventory.concurrentRuns();
			}
		};
	}
}
