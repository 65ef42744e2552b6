package dev.switchboard;

import dev.switchboard.migrate.MigrateFromH2;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The application ({@code --switchboard.migrate.from=<H2 URL>} runs {@link MigrateFromH2} instead). JVM options (heap sizing, {@code MaxHeapFreeRatio}, Tomcat's websocket buffer size) are the
 * operator's: the Dockerfile sets them in {@code JAVA_TOOL_OPTIONS}, and the README explains each.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {
    public static void main(String[] args) throws Exception {
        if (MigrateFromH2.requested(args)) { // the one-off copy of an H2 database into PostgreSQL, then exit
            MigrateFromH2.run(args);
            return;
        }
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
