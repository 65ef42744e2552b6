package dev.switchboard.bench;

import dev.switchboard.testsupport.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Path;
import java.util.List;

/**
 * The app's database in the benchmark: an H2 file as the Dockerfile runs it, or with {@code -Dbench.db=postgres} a
 * PostgreSQL server (Maven Central's binaries, PostgreSQL's own durability settings) started once by the bench, a new
 * database on it for each app process.
 */
final class BenchDatabase {
    private static EmbeddedPostgres postgres;

    private BenchDatabase() {}

    static boolean postgres() {
        return "postgres".equals(System.getProperty("bench.db", "h2"));
    }

    /** Stops the PostgreSQL server, if one was started. */
    static synchronized void close() throws java.io.IOException {
        if (postgres != null) postgres.close();
        postgres = null;
    }

    /** The app's datasource arguments. */
    static synchronized List<String> appArgs(Path dataDir) {
        if (!postgres()) {
            // -Dbench.h2 sets the H2 URL's settings (an A/B of jars whose production URLs differ)
            return List.of("--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("switchboard") + System.getProperty(
                    "bench.h2", ";AUTO_SERVER=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"));
        }
        if (postgres == null) postgres = TestPostgres.start(null, 0, true);
        return List.of("--spring.datasource.url=" + TestPostgres.newDatabase(postgres), "--spring.datasource.username=postgres",
                "--spring.datasource.password=");
    }
}
