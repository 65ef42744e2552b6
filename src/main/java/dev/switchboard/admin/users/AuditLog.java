package dev.switchboard.admin.users;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The audit trail of admin actions in table {@code audit_log}; rows are only ever added. */
@Service
public class AuditLog {

    /** One admin action. {@code target} is the username acted on; {@code detail} never holds a secret. */
    public record Entry(long id, Instant at, String actor, AuditAction action, String target, String detail) {
    }

    static final int MAX_DETAIL = 500;
    public static final int MAX_LATEST = 1000;

    private final JdbcClient jdbc;
    private final Clock clock;

    public AuditLog(JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    /** Joins the caller's transaction, so an action that fails leaves no row. */
    public void record(String actor, AuditAction action, String target, String detail) {
        String d = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 1) + "…";
        jdbc.sql("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")
                .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), actor, action.name(), target, d)
                .update();
    }

    /** The newest {@code limit} entries (at most {@value #MAX_LATEST}), newest first. */
    public List<Entry> latest(int limit) {
        int n = Math.max(1, Math.min(limit, MAX_LATEST));
        return jdbc.sql("SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT ?")
                .param(n)
                .query((rs, i) -> new Entry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), AuditAction.valueOf(rs.getString("action")), rs.getString("target"),
                        rs.getString("detail")))
                .list();
    }
}
