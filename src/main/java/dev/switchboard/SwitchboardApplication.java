package dev.switchboard;

import dev.switchboard.config.HeapRetention;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {
    static final String WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    public static void main(String[] args) {
        // Tomcat gives every websocket (one per open tab, for push) several buffers of this size; its 8 KB default
        // was ~30 KB of heap per idle tab. Pushes of any size still go out (framed), see PushMemoryConfig.
        if (System.getProperty(WEBSOCKET_BUFFER) == null) System.setProperty(WEBSOCKET_BUFFER, "2048");
        SpringApplication app = new SpringApplication(SwitchboardApplication.class);
        app.addListeners(new HeapRetention()); // before the first marking cycle, early in start-up
        app.run(args);
    }
}
