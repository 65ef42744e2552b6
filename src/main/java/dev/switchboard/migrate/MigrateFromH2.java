package dev.switchboard.migrate;

import dev.switchboard.config.Database;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Moving from H2 to PostgreSQL, one command of the same jar:
 * {@code java -jar switchboard.jar --switchboard.migrate.from=jdbc:h2:file:./data/switchboard} with the PostgreSQL
 * database as the app's datasource ({@code SPRING_DATASOURCE_URL} etc.). It starts only the datasource and Flyway
 * (no web server, nothing else), so Flyway creates the schema in the empty PostgreSQL database; brings the H2 database
 * to the same version (as starting this version on it would); copies every table ({@link TableCopy}); prints the rows
 * copied per table and exits. A PostgreSQL database that has rows already is refused and left as it was.
 */
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
public class MigrateFromH2 {
    public static final String FROM = "switchboard.migrate.from";
    private static final Logger log = LoggerFactory.getLogger(MigrateFromH2.class);

    /** Whether the command line or the environment asks for the copy ({@code --switchboard.migrate.from=...}). */
    public static boolean requested(String[] args) {
        ConfigurableEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return env.containsProperty(FROM);
    }

    /** Runs the copy with the app's configuration and these arguments; returns the rows copied per table. */
    public static Map<String, Long> run(String... args) throws SQLException {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MigrateFromH2.class)
                .web(WebApplicationType.NONE).run(args)) {
            return copy(context.getEnvironment(), context.getBean(DataSource.class));
        }
    }

    private static Map<String, Long> copy(Environment env, DataSource target) throws SQLException {
        String from = env.getRequiredProperty(FROM);
        if (Database.of(target) != Database.POSTGRESQL) {
            throw new IllegalStateException("The datasource to copy into (spring.datasource.url) must be PostgreSQL");
        }
        if (Database.ofUrl(from) != Database.H2) throw new IllegalStateException(FROM + " must be an H2 URL: " + from);
        DataSource source = new DriverManagerDataSource(from, env.getProperty(FROM + "-username", "sa"),
                env.getProperty(FROM + "-password", ""));
        Flyway.configure().dataSource(source).locations(Database.H2.migrationLocations().toArray(String[]::new))
                .load().migrate();
        try (Connection in = source.getConnection(); Connection out = target.getConnection()) {
            in.setReadOnly(true);
            Map<String, Long> copied = TableCopy.copy(in, out);
            copied.forEach((table, rows) -> log.info("Copied {} rows of {}", rows, table));
            log.info("Copied {} into {}: {} rows in {} tables. Start Switchboard on PostgreSQL now, without {}.", from,
                    out.getMetaData().getURL(), copied.values().stream().mapToLong(Long::longValue).sum(), copied.size(), FROM);
            return copied;
        }
    }
}
