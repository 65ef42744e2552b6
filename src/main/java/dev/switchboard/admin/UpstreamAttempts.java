package dev.switchboard.admin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Reads the upstream attempts the usage writer stores (one row per attempt of each generation), newest first. */
@Service
public class UpstreamAttempts {
    /** One attempt: outcome is "ok", "cancelled", "interrupted: …" or the failure reason ("503", "connection failed"). */
    public record Attempt(String generationId, String upstream, String outcome, long latencyMillis, Instant at) {}

    private final JdbcClient jdbc;

    public UpstreamAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Attempt> latest(int limit) {
        return jdbc.sql("SELECT generation_id, upstream, outcome, latency_ms, at FROM upstream_attempts ORDER BY at DESC, id DESC LIMIT ?")
                .param(limit)
                .query((rs, n) -> new Attempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }
}
