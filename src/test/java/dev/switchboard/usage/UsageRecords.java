package dev.switchboard.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Hand-made usage records for tests. */
public final class UsageRecords {
    private UsageRecords() {}

    public static UsageRecord of(String user, String model, String upstream, long prompt, long completion, String status,
                                 Long ttft, Instant start) {
        return of(user, model, upstream, prompt, completion, status, ttft, start, List.of());
    }

    public static UsageRecord of(String user, String model, String upstream, long prompt, long completion, String status,
                                 Long ttft, Instant start, List<UsageRecord.Attempt> attempts) {
        return new UsageRecord(UUID.randomUUID().toString(), user, UUID.randomUUID().toString(), model,
                upstream == null ? null : model, upstream, prompt, completion, !status.equals("completed"), status,
                0, status.equals("failed") ? "boom" : null, ttft, 1000, start, start.plusSeconds(1), attempts);
    }
}
