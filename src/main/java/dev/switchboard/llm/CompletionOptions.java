package dev.switchboard.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The caller's sampling and tool parameters, passed to the upstream as given; null means "not sent" (the upstream's
 * default). Raw JSON stays {@link JsonNode} so this package needs no SDK types.
 */
public record CompletionOptions(Double temperature, Double topP, Long maxTokens, Long maxCompletionTokens,
                                JsonNode stop, Long seed, Double presencePenalty, Double frequencyPenalty,
                                JsonNode responseFormat, JsonNode tools, JsonNode toolChoice, String user) {
    public static final CompletionOptions NONE =
            new CompletionOptions(null, null, null, null, null, null, null, null, null, null, null, null);
}
