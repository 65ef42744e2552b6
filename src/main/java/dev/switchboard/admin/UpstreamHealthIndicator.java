package dev.switchboard.admin;

import dev.switchboard.llm.UpstreamHealth;
import dev.switchboard.llm.UpstreamRouter;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/health} component "upstreams": UP while at least one upstream is usable (not cooling down), DOWN
 * when none is. Names and states only, never URLs or keys.
 */
@Component("upstreams")
public class UpstreamHealthIndicator implements HealthIndicator {
    private final UpstreamRouter router;

    public UpstreamHealthIndicator(UpstreamRouter router) {
        this.router = router;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new LinkedHashMap<>();
        for (UpstreamHealth.Snapshot s : router.health()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            if (s.coolingUntil() != null) one.put("coolingUntil", s.coolingUntil().toString());
            if (s.lastLatencyMillis() >= 0) one.put("lastLatencyMs", s.lastLatencyMillis());
            one.put("calls", s.calls());
            one.put("failures", s.failures());
            states.put(s.name(), one);
        }
        Health.Builder b = router.anyUsable() ? Health.up() : Health.down();
        return b.withDetail("chain", states).build();
    }
}
