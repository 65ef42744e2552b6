package dev.switchboard.chat.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /v1/chat/completions} as far as this server reads it itself; the messages and the options
 * passed upstream are checked by {@link ChatRequestParser}. Unknown fields are ignored, as OpenAI-compatible servers do.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ChatCompletionRequest(
        @NotBlank(message = "'model' is required.") String model,
        @NotNull(message = "'messages' is required.") JsonNode messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @Min(value = 1, message = "'n' must be 1: one choice per request.")
        @Max(value = 1, message = "'n' must be 1: one choice per request.") Integer n) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {}

    boolean streaming() { return Boolean.TRUE.equals(stream); }

    boolean includeUsage() { return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage()); }
}
