package dev.switchboard.config;

import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on Spring Boot's task scheduler (spring.task.scheduling.*): the app's one set of timer threads. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {

    /**
     * The timers keep running through shutdown's graceful wait: the replies still streaming then are sent by them
     * (Spring would otherwise stop them as the context starts closing, and cut those replies off mid-way).
     */
    @Bean
    ThreadPoolTaskSchedulerCustomizer timersThroughShutdown() {
        return scheduler -> scheduler.setAcceptTasksAfterContextClose(true);
    }
}
