package dev.switchboard.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Every {@code switchboard.*} key; the README documents each one. */
@ConfigurationProperties(prefix = "switchboard")
public record SwitchboardProperties(
        List<UpstreamProperties> upstreams,
        @DefaultValue("gpt-5.5") List<String> models,
        String defaultModel,
        @DefaultValue("You are a helpful assistant.") String systemPrompt,
        String adminPassword,
        @DefaultValue("20s") Duration firstTokenTimeout,
        @DefaultValue("30s") Duration stallTimeout,
        @DefaultValue("2s") Duration maxRetryWait,
        @DefaultValue("30s") Duration cooldown,
        @DefaultValue("100000") int maxMessageChars,
        Map<String, Price> prices,
        @DefaultValue Offline offline,
        @DefaultValue Quota quota,
        @DefaultValue RateLimit rateLimit,
        Map<String, Integer> contextTokens,
        @DefaultValue Retention retention) {

    public SwitchboardProperties {
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
        models = models == null || models.isEmpty() ? List.of("gpt-5.5") : List.copyOf(models);
        prices = prices == null ? Map.of() : Map.copyOf(prices);
        contextTokens = contextTokens == null ? Map.of() : Map.copyOf(contextTokens);
    }

    /** {@code switchboard.context-tokens[<model>]}: the model's context window in tokens, or null when not set. */
    public Integer contextTokensFor(String model) {
        return model == null ? null : contextTokens.get(model);
    }

    /** The model preselected in the picker: {@code default-model}, else the first of {@code models}. */
    public String effectiveDefaultModel() {
        return defaultModel == null || defaultModel.isBlank() ? models.get(0) : defaultModel;
    }

    /** One OpenAI-compatible upstream; {@code model}, when set, replaces the requested model there. */
    public record UpstreamProperties(String name, String baseUrl, String apiKey, String model) {
        @Override
        public String toString() { // never print the key
            return "Upstream[" + name + " " + baseUrl + (model == null ? "" : " model=" + model) + "]";
        }
    }

    /** USD per million tokens. */
    public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {}

    /**
     * {@code switchboard.quota.daily-tokens-per-user}: tokens per user per UTC day; null means no quota.
     * {@code reserve-completion-tokens}: what a chat without its own completion limit holds of the quota while it
     * runs, beside its prompt (default 1000).
     */
    public record Quota(Long dailyTokensPerUser, @DefaultValue("1000") long reserveCompletionTokens) {}

    /** {@code switchboard.rate-limit.requests-per-minute} for /api/chat per user; null means no limit. */
    public record RateLimit(Integer requestsPerMinute) {}

    /** {@code switchboard.retention.conversations}: conversations unchanged this long are deleted daily; null keeps them. */
    public record Retention(Duration conversations) {}

    /** The built-in offline model: pace in tokens per second; port 0 picks a free loopback port. */
    public record Offline(@DefaultValue("40") double tokensPerSecond, @DefaultValue("0") int port) {}
}
