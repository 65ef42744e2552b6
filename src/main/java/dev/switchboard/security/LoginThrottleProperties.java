package dev.switchboard.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Brute-force protection ({@code switchboard.security.login.*}, see {@link LoginThrottle}): {@code maxFailures} failed
 * logins for one username from one client address (or from one known device) pause that pair;
 * {@code maxFailuresPerAddress} from one address, whatever the names, pause that address; {@code maxFailuresPerUser}
 * for one username, from anywhere, pause that name for devices it has never logged in from. A pause lasts
 * {@code firstDelay}, doubling with each further failure up to {@code maxDelay}; failures older than
 * {@code forgetAfter} no longer count. The device cookie is signed with a key derived from {@code deviceCookieKey}
 * (when set; needed only to share cookies between instances that do not share a database), else with one the server
 * generates once and keeps in its database; it is valid for {@code deviceCookieMaxAge}.
 */
@ConfigurationProperties(prefix = "switchboard.security.login")
public record LoginThrottleProperties(
        @DefaultValue("10") int maxFailures,
        @DefaultValue("50") int maxFailuresPerAddress,
        @DefaultValue("50") int maxFailuresPerUser,
        @DefaultValue("30s") Duration firstDelay,
        @DefaultValue("15m") Duration maxDelay,
        @DefaultValue("24h") Duration forgetAfter,
        String deviceCookieKey,
        @DefaultValue("180d") Duration deviceCookieMaxAge) {

    public LoginThrottleProperties {
        if (maxFailures < 1 || maxFailuresPerAddress < 1 || maxFailuresPerUser < 1 || firstDelay.isNegative()
                || maxDelay.compareTo(firstDelay) < 0 || forgetAfter.isNegative() || forgetAfter.isZero()
                || deviceCookieMaxAge.isNegative() || deviceCookieMaxAge.isZero()) {
            throw new IllegalArgumentException("switchboard.security.login: need max-failures, max-failures-per-address "
                    + "and max-failures-per-user >= 1, 0 <= first-delay <= max-delay, forget-after > 0 and "
                    + "device-cookie-max-age > 0");
        }
    }

    /** The defaults, with these counts and pauses (for tests). */
    public static LoginThrottleProperties of(int maxFailures, int perAddress, int perUser, Duration firstDelay,
                                             Duration maxDelay) {
        return new LoginThrottleProperties(maxFailures, perAddress, perUser, firstDelay, maxDelay, Duration.ofHours(24),
                null, Duration.ofDays(180));
    }

    @Override
    public String toString() { // never print the key
        return "LoginThrottleProperties[maxFailures=" + maxFailures + ", perAddress=" + maxFailuresPerAddress
                + ", perUser=" + maxFailuresPerUser + ", firstDelay=" + firstDelay + ", maxDelay=" + maxDelay
                + ", forgetAfter=" + forgetAfter + ", deviceCookieMaxAge=" + deviceCookieMaxAge + "]";
    }
}
