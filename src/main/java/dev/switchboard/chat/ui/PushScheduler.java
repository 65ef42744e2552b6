package dev.switchboard.chat.ui;

import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread that flushes buffered reply tokens to the tabs. Generation threads only append to a
 * buffer and schedule here, so they never wait for a UI lock; a flush does the {@code ui.access}.
 */
@Component
class PushScheduler {
    /** How long later tokens are collected before one push. */
    static final Duration COALESCE = Duration.ofMillis(50);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ui-push-flush");
        t.setDaemon(true);
        return t;
    });

    ScheduledFuture<?> now(Runnable task) {
        return timer.schedule(task, 0, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> later(Runnable task) {
        return timer.schedule(task, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }
}
