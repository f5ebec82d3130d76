package dev.nightshift.scheduler.execution;

import dev.nightshift.experiments.recovery.Reconciler;
import dev.nightshift.experiments.recovery.RecoveryProperties;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Quartz job in the JDBC store that runs the {@link Reconciler} every {@code nightshift.recovery.tick}, so
 * state a lost follow-up left stuck is repaired while the server runs, not only at its next start.
 */
@DisallowConcurrentExecution
public class ReconcileTick implements Job {

	private final Reconciler reconciler;

	public ReconcileTick(Reconciler reconciler) {
		this.reconciler = reconciler;
	}

	@Override
	public void execute(JobExecutionContext context) {
		reconciler.reconcile();
	}

	@Configuration(proxyBeanMethods = false)
	static class Schedule {

		@Bean
		JobDetail reconcileTickJob() {
			return JobBuilder.newJob(ReconcileTick.class).withIdentity("reconcile-tick", "nightshift").storeDurably().build();
		}

		@Bean
		Trigger reconcileTickTrigger(JobDetail reconcileTickJob, RecoveryProperties properties) {
			return TriggerBuilder.newTrigger()
				.forJob(reconcileTickJob)
				.withIdentity("reconcile-tick", "nightshift")
				.withSchedule(SimpleScheduleBuilder.simpleSchedule()
					.withIntervalInMilliseconds(properties.tick().toMillis())
					.repeatForever()
					.withMisfireHandlingInstructionNextWithRemainingCount())
				.build();
		}
	}
}
