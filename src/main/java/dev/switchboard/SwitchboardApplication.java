package dev.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    static final String WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    public static void main(String[] args) {
        // openai-java chains each request with thenComposeAsync() on the common pool. Below 3 cores the JDK gives
        // that pool parallelism 1 and CompletableFuture then starts a new thread per async stage: measured as a
        // thread start (~1 ms of time to first token) on every chat request on a 2-core server.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        // Tomcat gives every websocket (one per open tab, for push) several buffers of this size; its 8 KB default
        // was ~30 KB of heap per idle tab. Pushes of any size still go out (framed), see PushMemoryConfig.
        if (System.getProperty(WEBSOCKET_BUFFER) == null) System.setProperty(WEBSOCKET_BUFFER, "2048");
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
