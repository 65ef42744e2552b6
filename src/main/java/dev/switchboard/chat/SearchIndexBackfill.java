package dev.switchboard.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Once after start-up, off the request threads: indexes for search the conversations stored before the search index
 * existed (until then the search reads their messages' text).
 */
@Component
class SearchIndexBackfill {
    private static final Logger log = LoggerFactory.getLogger(SearchIndexBackfill.class);
    private final ConversationStore store;
    private final TaskScheduler timers;

    SearchIndexBackfill(ConversationStore store, TaskScheduler timers) {
        this.store = store;
        this.timers = timers;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        timers.schedule(this::run, Instant.now());
    }

    void run() {
        int total = 0;
        try {
            for (int n; (n = store.indexOlder(100)) > 0; ) total += n;
        } catch (RuntimeException e) {
            log.warn("Indexing older conversations for search stopped after {}: {}", total, e.toString());
            return;
        }
        if (total > 0) log.info("Indexed {} older conversations for search", total);
    }
}
