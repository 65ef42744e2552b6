package dev.switchboard.config;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A setting named in the datasource URL wins over the defaults application.properties passes to H2, without an error. */
class H2UrlSettingsWinTest {

    /** The whole app on a URL that names the setting: before, H2 refused to open it ("Duplicate property"). */
    @SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:url-setting-${random.uuid};DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=16")
    @Nested
    class TheApp {
        @Test
        void startsOnAUrlThatNamesTheQueryCacheSizeAndUsesIt(@Autowired JdbcClient jdbc) {
            assertThat(jdbc.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")
                    .query(String.class).single()).isEqualTo("16");
        }
    }

    @Test
    void aQueryCacheSizeInTheUrlIsUsedAndTheDefaultDropped() {
        assertThat(querySettingOf("jdbc:h2:mem:url-names-it;query_cache_size=16")).isEqualTo("16");
    }

    @Test
    void withoutItInTheUrlTheDefaultApplies() {
        assertThat(querySettingOf("jdbc:h2:mem:url-silent")).isEqualTo("64");
    }

    @Test
    void otherDatabasesAreLeftAlone() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("QUERY_CACHE_SIZE", "64");
        H2UrlSettingsWin.leaveToUrl("jdbc:postgresql://db/sb?QUERY_CACHE_SIZE=1", p);
        assertThat(p).containsEntry("QUERY_CACHE_SIZE", "64");
    }

    private static String querySettingOf(String url) {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setUsername("sa");
            ds.addDataSourceProperty("QUERY_CACHE_SIZE", "64"); // what application.properties passes
            new H2UrlSettingsWin().postProcessAfterInitialization(ds, "dataSource");
            return JdbcClient.create(ds).sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")
                    .query(String.class).single();
        }
    }
}
