package dev.switchboard.usage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A generation's usage row, written off the stream's thread: at its start (status running), as its tokens arrive,
 * and at its end.
 */
public interface UsageRecorder {
    /**
     * A generation started, or saves its progress: its row is written or updated as running. The record is built on
     * the writer's thread, so counting a prompt's tokens stays off the stream's path.
     */
    void running(Supplier<UsageRecord> running);

    /** A generation ended: the future completes once its row is committed (or writing it was given up and logged). */
    CompletableFuture<Void> record(UsageRecord ended);
}
