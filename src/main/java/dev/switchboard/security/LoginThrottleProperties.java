package dev.switchboard.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Brute-force protection per username ({@code switchboard.security.login.*}): after {@code maxFailures} failed
 * logins the username is refused for {@code firstDelay}, doubling with each further failure up to {@code maxDelay}.
 * Failures older than {@code forgetAfter} no longer count.
 */
@ConfigurationProperties(prefix = "switchboard.security.login")
public record LoginThrottleProperties(
        @DefaultValue("10") int maxFailures,
        @DefaultValue("30s") Duration firstDelay,
        @DefaultValue("15m") Duration maxDelay,
        @DefaultValue("24h") Duration forgetAfter) {

    public LoginThrottleProperties {
        if (maxFailures < 1 || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0
                || forgetAfter.isNegative() || forgetAfter.isZero()) {
            throw new IllegalArgumentException("switchboard.security.login: need max-failures >= 1, "
                    + "0 <= first-delay <= max-delay and forget-after > 0");
        }
    }
}
