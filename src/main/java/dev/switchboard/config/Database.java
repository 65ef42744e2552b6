package dev.switchboard.config;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import javax.sql.DataSource;
import java.sql.DatabaseMetaData;
import java.util.List;
import java.util.Locale;

/**
 * The database Switchboard runs on, as the datasource URL chose it: embedded H2 (one instance) or PostgreSQL (one or
 * several instances sharing it). Where their SQL differs, the code asks this; everything else is the same SQL.
 */
public enum Database {
    H2, POSTGRESQL;

    /** Several instances may use this database at once: nothing an instance keeps to itself may decide a rule. */
    public boolean shared() {
        return this == POSTGRESQL;
    }

    /**
     * Flyway's locations for this database, as {@code spring.flyway.locations} names them with Spring Boot's
     * {@code {vendor}}: the common migrations and this database's own versions of the few that differ.
     */
    public List<String> migrationLocations() {
        return List.of("classpath:db/migration", "classpath:db/vendor/" + name().toLowerCase(Locale.ROOT));
    }

    /** What {@code dataSource} connects to (asks the driver once). */
    public static Database of(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return of(DatabaseDriver.fromProductName(product), product);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Cannot tell which database the datasource connects to", e);
        }
    }

    /** The database of a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...}). */
    public static Database ofUrl(String jdbcUrl) {
        return of(DatabaseDriver.fromJdbcUrl(jdbcUrl), jdbcUrl);
    }

    private static Database of(DatabaseDriver driver, String what) {
        return switch (driver) {
            case H2 -> H2;
            case POSTGRESQL -> POSTGRESQL;
            default -> throw new IllegalStateException("Switchboard runs on H2 or PostgreSQL, not on " + what);
        };
    }
}
