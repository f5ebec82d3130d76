package dev.nightshift.agent.loop;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A Quartz job in the JDBC store that wakes the running loops every {@code nightshift.loop.tick}. */
@DisallowConcurrentExecution
public class LoopTick implements Job {

	private final LoopDriver driver;

	public LoopTick(LoopDriver driver) {
		this.driver = driver;
	}

	@Override
	public void execute(JobExecutionContext context) {
		driver.wake();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LoopProperties.class)
	static class Schedule {

		@Bean
		JobDetail loopTickJob() {
			return JobBuilder.newJob(LoopTick.class).withIdentity("loop-tick", "nightshift").storeDurably().build();
		}

		@Bean
		Trigger loopTickTrigger(JobDetail loopTickJob, LoopProperties properties) {
			return TriggerBuilder.newTrigger()
				.forJob(loopTickJob)
				.withIdentity("loop-tick", "nightshift")
				.withSchedule(SimpleScheduleBuilder.simpleSchedule()
					.withIntervalInMilliseconds(properties.tick().toMillis())
					.repeatForever()
					.withMisfireHandlingInstructionNextWithRemainingCount())
				.build();
		}
	}
}
