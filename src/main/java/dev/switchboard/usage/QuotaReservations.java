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

    /** What a user holds today: the tokens of ended generations, and those reserved by running ones. */
    public record Held(long used, long reserved) {
        public long total() { return used + reserved; }
    }

    /** Today's (UTC) tokens of the user: used, and reserved by generations in progress. */
    public Held held(String username, LocalDate day) {
        Long used = jdbc.query("SELECT prompt_tokens + completion_tokens FROM usage_daily_user WHERE usage_day = ? AND username = ?",
                rs -> rs.next() ? rs.getLong(1) : 0L, day, username);
        Long reserved = jdbc.queryForObject("""
                SELECT COALESCE(SUM(reserved_tokens), 0) FROM usage_running
                WHERE username = ? AND started_at >= ?""", Long.class,
                username, day.atStartOfDay().atOffset(ZoneOffset.UTC));
        return new Held(used == null ? 0 : used, reserved == null ? 0 : reserved);
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
