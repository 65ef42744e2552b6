package dev.switchboard.usage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A generation's hold on its user's daily quota: its running row ({@code usage_running}), written at once with the
 * tokens it may use ({@code reserved_tokens}), counted by every later check until the generation ends and its real
 * usage replaces it in the rollups, in the same transaction. The row is written before the check reads, so two chats racing on different
 * instances both see each other (and the later may be refused too early, never let through too late); on one
 * instance the checks of a user take turns.
 */
@Component
public class QuotaReservations {
    private static final int STRIPES = 64;
    private final Object[] locks = new Object[STRIPES];
    private final JdbcTemplate jdbc;
    private final UsageWriter writer;

    public QuotaReservations(JdbcTemplate jdbc, org.springframework.transaction.PlatformTransactionManager tx,
                             dev.switchboard.config.SwitchboardProperties props) {
        this.jdbc = jdbc;
        this.writer = new UsageWriter(jdbc, tx, props.prices());
        for (int i = 0; i < STRIPES; i++) locks[i] = new Object();
    }

    /**
     * What a user holds today: the tokens used (in the rollups, or ended and not yet moved there), and those reserved
     * by generations still running.
     */
    public record Held(long used, long reserved) {
        public long total() { return used + reserved; }
    }

    /**
     * Today's (UTC) tokens of the user, in one statement (one snapshot: a generation moved from its running row into
     * the rollups meanwhile is counted once).
     */
    public Held held(String username, LocalDate day) {
        return jdbc.queryForObject("""
                SELECT COALESCE((SELECT prompt_tokens + completion_tokens FROM usage_daily_user
                                 WHERE usage_day = ? AND username = ?), 0),
                       COALESCE((SELECT SUM(CASE WHEN status IS NULL THEN 0 ELSE prompt_tokens + completion_tokens END)
                                 FROM usage_running WHERE username = ? AND started_at >= ?), 0),
                       COALESCE((SELECT SUM(CASE WHEN status IS NULL THEN reserved_tokens ELSE 0 END)
                                 FROM usage_running WHERE username = ? AND started_at >= ?), 0)""",
                (rs, n) -> new Held(rs.getLong(1) + rs.getLong(2), rs.getLong(3)),
                day, username, username, day.atStartOfDay().atOffset(ZoneOffset.UTC), username,
                day.atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    /**
     * Reserves {@code tokens} for the running generation {@code running} when what the user holds today leaves room
     * (anything below the quota); returns what was held before it, and whether it was granted. A refused
     * reservation leaves no row.
     */
    public Reservation reserve(UsageRecord running, long tokens, long quota) {
        LocalDate day = running.startedAt().atOffset(ZoneOffset.UTC).toLocalDate();
        synchronized (locks[Math.floorMod(running.username().hashCode(), STRIPES)]) {
            writer.insertReserved(running, tokens);
            Held held = held(running.username(), day);
            Held others = new Held(held.used(), held.reserved() - tokens);
            if (others.total() < quota) return new Reservation(true, others);
            jdbc.update("DELETE FROM usage_running WHERE generation_id = ?", running.generationId());
            return new Reservation(false, others);
        }
    }

    /** @param before what the user held before this reservation */
    public record Reservation(boolean granted, Held before) {}
}
