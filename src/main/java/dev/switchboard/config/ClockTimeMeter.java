package dev.switchboard.config;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** bucket4j's (and Caffeine's) time from a {@link Clock}, so tests that move a clock move buckets with it. */
public record ClockTimeMeter(Clock clock) implements TimeMeter {

    @Override
    public long currentTimeNanos() {
        return ChronoUnit.NANOS.between(Instant.EPOCH, clock.instant());
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
