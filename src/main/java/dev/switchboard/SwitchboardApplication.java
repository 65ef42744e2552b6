package dev.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The application. JVM options (heap sizing, {@code MaxHeapFreeRatio}, Tomcat's websocket buffer size) are the
 * operator's: the Dockerfile sets them in {@code JAVA_TOOL_OPTIONS}, and the README explains each.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {
    public static void main(String[] args) {
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
