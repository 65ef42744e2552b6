package dev.switchboard.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Which database the datasource URL chose ({@link Database}), and what several instances on PostgreSQL share beyond
 * their tables ({@link SharedBuckets}).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean
    Database database(DataSource dataSource) {
        return Database.of(dataSource);
    }

    @Bean
    SharedBuckets sharedBuckets(Database database, DataSource dataSource, ObjectProvider<Clock> clock) {
        return database.shared()
                ? SharedBuckets.inPostgres(dataSource, new ClockTimeMeter(clock.getIfUnique(Clock::systemUTC)))
                : SharedBuckets.none();
    }
}
