package dev.switchboard.config;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations on both databases: H2 databases migrated by earlier versions (all migrations in one folder then)
 * still validate, and every migration whose SQL differs has its version for each database.
 */
class MigrationsTest {

    /** Version → checksum as Flyway recorded them in H2 databases before the migrations were split by database. */
    private static final Map<String, Integer> RECORDED_ON_H2 = Map.of(
            "1", -257815743, "2", 170919570, "4", -170024729, "5", 1918700838, "6", 785084924,
            "7", 1391608614, "8", 325853074, "9", 2118046558, "10", 2051568897, "11", -2098071);

    private static Flyway flyway(String... locations) {
        return Flyway.configure().dataSource("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")
                .locations(locations).load();
    }

    private static Map<String, Integer> checksums(Flyway flyway) {
        return Arrays.stream(flyway.info().all()).collect(Collectors.toMap(i -> i.getVersion().getVersion(),
                MigrationInfo::getChecksum, (a, b) -> a, TreeMap::new));
    }

    @Test
    void h2DatabasesMigratedBeforeTheSplitKeepTheirChecksums() {
        Map<String, Integer> now = checksums(flyway(Database.H2.migrationLocations().toArray(String[]::new)));
        assertThat(now).containsAllEntriesOf(RECORDED_ON_H2);
    }

    @Test
    void everyMigrationWhoseSqlDiffersHasAVersionForEachDatabase() {
        Map<String, Integer> h2 = checksums(flyway("classpath:db/vendor/h2"));
        Map<String, Integer> postgres = checksums(flyway("classpath:db/vendor/postgresql"));
        Map<String, Integer> common = checksums(flyway("classpath:db/migration"));
        assertThat(h2).isNotEmpty();
        assertThat(postgres.keySet()).isEqualTo(h2.keySet());
        assertThat(common.keySet()).doesNotContainAnyElementsOf(h2.keySet());
    }

    @Test
    void anH2DatabaseMigratesAndValidates() {
        Flyway flyway = flyway(Database.H2.migrationLocations().toArray(String[]::new));
        assertThat(flyway.migrate().success).isTrue();
        flyway.validate();
    }
}
