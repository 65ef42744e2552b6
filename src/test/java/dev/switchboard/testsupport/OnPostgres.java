package dev.switchboard.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest} on PostgreSQL instead of H2: the app gets a new empty database on the shared
 * {@link TestPostgres} server as its datasource (Spring Boot's own then backs off, whatever URL the test names), and
 * Flyway, the queries and everything else run on it as in production. A test class proves its behaviour on both
 * databases with an empty subclass: {@code @OnPostgres class XOnPostgresTest extends XTest {}}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(OnPostgres.PostgresDataSource.class)
public @interface OnPostgres {

    /** Not found by the app's component scan (a test configuration): only the annotated tests get it. */
    @TestConfiguration(proxyBeanMethods = false)
    class PostgresDataSource {
        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() {
            return TestPostgres.newDataSource();
        }
    }
}
