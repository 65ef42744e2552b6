package dev.switchboard.chat;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * On shutdown, after the web server's graceful wait ({@code server.shutdown=graceful},
 * {@code spring.lifecycle.timeout-per-shutdown-phase}) let the replies that could finish do so, and before the web
 * server and the database pool close: the replies still running end as interrupted, their clients get an error event
 * and their end, and their usage rows and partial replies are stored.
 */
@Component
class StoppingServer implements SmartLifecycle {
    /** Between the graceful wait (stopped first, higher phase) and the web server's stop. */
    static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 512;

    private final ChatService chats;
    private volatile boolean running;

    StoppingServer(ChatService chats) {
        this.chats = chats;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        chats.interruptAll("the server is shutting down", Duration.ofSeconds(10));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
