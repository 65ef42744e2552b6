package dev.switchboard.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Properties;

/**
 * The H2 settings application.properties passes as connection properties (spring.datasource.hikari.data-source-properties)
 * are defaults: H2 refuses to open a database when a setting is named both there and in the URL with another value
 * ("Duplicate property"), so a setting the URL names is left to the URL.
 */
@Component
class H2UrlSettingsWin implements BeanPostProcessor {
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // After initialization: the hikari.* properties are bound before it; the pool opens on first use, later.
        if (bean instanceof HikariDataSource ds) leaveToUrl(ds.getJdbcUrl(), ds.getDataSourceProperties());
        return bean;
    }

    static void leaveToUrl(String url, Properties connectionProperties) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) return;
        String settings = url.toUpperCase(Locale.ROOT).replace(" ", "");
        for (String key : connectionProperties.stringPropertyNames()) {
            if (settings.contains(";" + key.toUpperCase(Locale.ROOT) + "=")) connectionProperties.remove(key);
        }
    }
}
