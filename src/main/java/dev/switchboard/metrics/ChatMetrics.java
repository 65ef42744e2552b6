package dev.switchboard.metrics;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.UpstreamHealth;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.usage.UsageRecord;
import dev.switchboard.usage.UsageWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Switchboard's own meters, all fed from here: once when a generation starts and once when it ends (its usage
 * record and failovers), once per refused quota, once per tab that shows a first token. Nothing runs per token.
 * Labels are bounded: {@code model} is the requested one (from {@code switchboard.models}; the served model is the
 * upstream's word and unbounded), {@code upstream} a configured name or {@code none}; no user label.
 */
@Component
public class ChatMetrics {
    /** {@code switchboard_upstream_state}: 0 healthy, 1 its one trial request is due, 2 cooling down, 3 key rejected. */
    static final Map<UpstreamHealth.State, Integer> STATE_VALUES = Map.of(UpstreamHealth.State.HEALTHY, 0,
            UpstreamHealth.State.TRIAL, 1, UpstreamHealth.State.COOLING_DOWN, 2, UpstreamHealth.State.KEY_REJECTED, 3);
    static final String NO_UPSTREAM = "none";

    private final Map<String, SwitchboardProperties.Price> prices;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Meter.MeterProvider<Counter> generations;
    private final Meter.MeterProvider<Counter> tokens;
    private final Meter.MeterProvider<Counter> cost;
    private final Meter.MeterProvider<Counter> failovers;
    private final Meter.MeterProvider<Timer> timeToFirstToken;
    private final Meter.MeterProvider<Timer> duration;
    private final Counter quotaRejections;
    private final Timer pushDelay;

    public ChatMetrics(MeterRegistry registry, UpstreamRouter router, SwitchboardProperties props) {
        this.prices = props.prices();
        generations = Counter.builder("switchboard.generations")
                .description("Generations ended, by requested model, answering upstream and how they ended")
                .withRegistry(registry);
        tokens = Counter.builder("switchboard.tokens")
                .description("Tokens of ended generations; estimated=true when counted by Switchboard, not the upstream")
                .withRegistry(registry);
        cost = Counter.builder("switchboard.cost.usd")
                .description("Cost in USD at switchboard.prices, by requested model (unpriced models add nothing)")
                .withRegistry(registry);
        failovers = Counter.builder("switchboard.failovers")
                .description("Failovers before the first token: from one upstream to the next, and why")
                .withRegistry(registry);
        timeToFirstToken = Timer.builder("switchboard.time.to.first.token")
                .description("From a generation's start to its first token, by the upstream that sent it")
                .serviceLevelObjectives(seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30))
                .withRegistry(registry);
        duration = Timer.builder("switchboard.generation.duration")
                .description("From a generation's start to its end, by requested model and how it ended")
                .serviceLevelObjectives(seconds(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300))
                .withRegistry(registry);
        quotaRejections = Counter.builder("switchboard.quota.rejections")
                .description("Chats refused because the user's daily token quota was used up")
                .register(registry);
        pushDelay = Timer.builder("switchboard.push.delay")
                .description("From a generation's first token to its showing in a browser tab that was waiting for it")
                .serviceLevelObjectives(seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1))
                .register(registry);
        Gauge.builder("switchboard.generations.in.flight", inFlight, AtomicInteger::get)
                .description("Generations running now on this instance")
                .register(registry);
        List<String> names = router.chain().stream().map(u -> u.name()).toList();
        for (int i = 0; i < names.size(); i++) {
            int index = i;
            Gauge.builder("switchboard.upstream.state", router, r -> STATE_VALUES.get(r.health().get(index).state()))
                    .description("Each upstream's state: 0 healthy, 1 trial due, 2 cooling down, 3 key rejected")
                    .tag("upstream", names.get(i))
                    .register(registry);
        }
    }

    /** A generation was sent upstream. */
    public void generationStarted() {
        inFlight.incrementAndGet();
    }

    /** A generation ended; {@code record} is its usage row, {@code failoverEvents} its failovers in order. */
    public void generationEnded(UsageRecord record, List<StreamEvent.Failover> failoverEvents) {
        inFlight.decrementAndGet();
        String model = record.requestedModel();
        String upstream = record.upstream() == null ? NO_UPSTREAM : record.upstream();
        generations.withTags("model", model, "upstream", upstream, "status", record.status()).increment();
        String estimated = Boolean.toString(record.estimated());
        tokens.withTags("model", model, "kind", "prompt", "estimated", estimated).increment(record.promptTokens());
        tokens.withTags("model", model, "kind", "completion", "estimated", estimated).increment(record.completionTokens());
        BigDecimal usd = UsageWriter.cost(prices, record);
        if (usd != null) cost.withTags("model", model).increment(usd.doubleValue());
        if (record.ttftMillis() != null) {
            timeToFirstToken.withTags("upstream", upstream).record(record.ttftMillis(), TimeUnit.MILLISECONDS);
        }
        duration.withTags("model", model, "status", record.status()).record(record.durationMillis(), TimeUnit.MILLISECONDS);
        for (StreamEvent.Failover f : failoverEvents) {
            failovers.withTags("from", f.from(), "to", f.to(), "reason", f.cause()).increment();
        }
    }

    /** A chat was refused by the daily token quota. */
    public void quotaRejected() {
        quotaRejections.increment();
    }

    /** A tab showed a generation's first token {@code nanos} after it came from the upstream. */
    public void firstTokenShown(long nanos) {
        pushDelay.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        return out;
    }
}
