package dev.nightshift.scheduler.dispatch;

import dev.nightshift.scheduler.SchedulerProperties;
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
 * The safety tick: a Quartz job in the JDBC store that asks for a dispatch pass every
 * {@code nightshift.scheduler.tick}, in case an event was lost.
 */
@DisallowConcurrentExecution
public class DispatchTick implements Job {

	private final DispatchTrigger trigger;

	public DispatchTick(DispatchTrigger trigger) {
		this.trigger = trigger;
	}

	@Override
	public void execute(JobExecutionContext context) {
		trigger.request();
	}

	@Configuration(proxyBeanMethods = false)
	static class Schedule {

		@Bean
		JobDetail dispatchTickJob() {
			return JobBuilder.newJob(DispatchTick.class).withIdentity("dispatch-tick", "nightshift").storeDurably().build();
		}

		@Bean
		Trigger dispatchTickTrigger(JobDetail dispatchTickJob, SchedulerProperties properties) {
			return TriggerBuilder.newTrigger()
				.forJob(dispatchTickJob)
				.withIdentity("dispatch-tick", "nightshift")
				.withSchedule(SimpleScheduleBuilder.simpleSchedule()
					.withIntervalInMilliseconds(properties.tick().toMillis())
					.repeatForever()
					.withMisfireHandlingInstructionNextWithRemainingCount())
				.build();
		}
	}
}
