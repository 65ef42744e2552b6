package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.llm.AllUpstreamsFailedException;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one generation to a {@code /v1/chat/completions} response in OpenAI's format: {@code chat.completion.chunk}
 * events then {@code [DONE]} when streaming, or one {@code chat.completion} at the end. Nothing is committed before
 * the first token or the end, so a request that no upstream answered still gets an error status. Batches come one at
 * a time (Coalescer, or the generation's own thread when not streaming).
 */
final class CompletionWriter {
    /** What ends the response and what to do when the client has gone. */
    interface Ending {
        void complete();

        void clientGone();
    }

    private final HttpServletResponse response;
    private final ObjectMapper json;
    private final Ending ending;
    private final boolean streaming;
    private final boolean includeUsage;
    private final String id;
    private final long created = System.currentTimeMillis() / 1000;
    private String model;

    private boolean committed;
    /** A token or tool call has arrived: the answer will be a completion, so a 200 may be sent ahead of it. */
    private boolean answering;
    private boolean ended;
    private boolean roleSent;
    private String finishReason;
    private TokenUsage usage;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, ToolCall> toolCalls = new TreeMap<>();

    CompletionWriter(HttpServletResponse response, ObjectMapper json, Ending ending, boolean streaming,
                     boolean includeUsage, String id, String model) {
        this.response = response;
        this.json = json;
        this.ending = ending;
        this.streaming = streaming;
        this.includeUsage = includeUsage;
        this.id = id;
        this.model = model;
    }

    synchronized void write(List<StreamEvent> batch) {
        if (ended) return;
        StringBuilder out = new StringBuilder();
        StreamEvent.Finished end = null;
        for (StreamEvent e : batch) {
            if (e instanceof StreamEvent.Started s) {
                if (s.model() != null) model = s.model();
                committed = true;
            } else if (e instanceof StreamEvent.Delta d) {
                committed = true;
                answering = true;
                if (streaming) out.append(chunk(delta().put("content", d.text()), null));
                else text.append(d.text());
            } else if (e instanceof StreamEvent.ToolCallDelta t) {
                committed = true;
                answering = true;
                if (streaming) out.append(chunk(toolCallDelta(t), null));
                else toolCalls.computeIfAbsent(t.index(), i -> new ToolCall()).add(t);
            } else if (e instanceof StreamEvent.FinishReason f) {
                finishReason = f.reason();
            } else if (e instanceof StreamEvent.Usage u) {
                usage = u.usage();
            } else if (e instanceof StreamEvent.Finished f) {
                end = f;
            }
        }
        if (end != null && end.outcome() == StreamEvent.Outcome.STOPPED) {
            ended = true; // the client has gone (or the generation was stopped): nobody to tell
            return;
        }
        if (end != null && (!committed || !streaming) && end.error() != null) {
            ended = true;
            send(refusal(end), true);
            return;
        }
        if (!committed && end == null) return;
        if (end != null) {
            ended = true;
            if (streaming) {
                if (end.error() == null) {
                    out.append(chunk(delta(), finishReason != null ? finishReason : "stop"));
                    if (includeUsage && usage != null) out.append(usageChunk());
                } else {
                    OpenAiError.Detail detail = new OpenAiError.Detail(end.message(), "server_error", null, "stream_interrupted");
                    out.append("data: ").append(json.valueToTree(new OpenAiError.Body(detail)).toString()).append("\n\n");
                }
                out.append("data: [DONE]\n\n");
            } else {
                out.append(completion().toString());
            }
        }
        if (!streaming && end == null) return;
        send(out.toString(), end != null);
    }

    /**
     * While a non-streamed reply is being written upstream, one space (JSON allows leading whitespace): a write is
     * the only way a servlet learns that its client hung up, and then the generation is stopped. Only once tokens
     * arrive, so a request no upstream answers still gets its error status.
     */
    synchronized void keepAlive() {
        if (ended || streaming || !answering) return;
        send(" ", false);
    }

    /** The request failed before its first token (or before a non-streamed reply was complete): an error status. */
    private String refusal(StreamEvent.Finished end) {
        UpstreamException e = end.error();
        HttpStatus status;
        String type = "upstream_error";
        String code;
        if (e instanceof AllUpstreamsFailedException all && all.callerFault()) {
            status = HttpStatus.BAD_REQUEST;
            type = "invalid_request_error";
            code = e.kind() == UpstreamException.Kind.CONTEXT_TOO_LONG ? "context_length_exceeded" : null;
        } else if (end.outcome() == StreamEvent.Outcome.FAILED && (e.kind() == UpstreamException.Kind.CONNECT
                || e.kind() == UpstreamException.Kind.TIMEOUT || e.kind() == UpstreamException.Kind.RATE_LIMITED)) {
            status = HttpStatus.SERVICE_UNAVAILABLE; // nobody answered in time, or every upstream is rate-limited
            code = "upstream_unavailable";
        } else {
            status = HttpStatus.BAD_GATEWAY; // upstreams answered with errors, or the reply broke off
            code = end.outcome() == StreamEvent.Outcome.INTERRUPTED ? "stream_interrupted" : "upstream_failed";
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (status == HttpStatus.SERVICE_UNAVAILABLE && e.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return json.valueToTree(new OpenAiError.Body(new OpenAiError.Detail(end.message(), type, null, code))).toString();
    }

    private void send(String body, boolean last) {
        try {
            if (!response.isCommitted() && response.getStatus() == 200) {
                if (streaming) {
                    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
                    response.setHeader("Cache-Control", "no-cache");
                    response.setHeader("X-Accel-Buffering", "no");
                } else {
                    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                }
            }
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            OutputStream os = response.getOutputStream();
            os.write(body.getBytes(StandardCharsets.UTF_8));
            if (last) os.close(); else os.flush();
        } catch (IOException | RuntimeException gone) {
            ended = true;
            ending.clientGone();
            return;
        }
        if (last) ending.complete();
    }

    private ObjectNode delta() {
        ObjectNode d = json.createObjectNode();
        if (!roleSent) {
            d.put("role", "assistant");
            roleSent = true;
        }
        return d;
    }

    private ObjectNode toolCallDelta(StreamEvent.ToolCallDelta t) {
        ObjectNode d = delta();
        ObjectNode call = d.putArray("tool_calls").addObject().put("index", t.index());
        if (t.id() != null) call.put("id", t.id()).put("type", "function");
        ObjectNode f = call.putObject("function");
        if (t.name() != null) f.put("name", t.name());
        if (t.arguments() != null) f.put("arguments", t.arguments());
        return d;
    }

    private ObjectNode head(String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private String chunk(ObjectNode delta, String finish) {
        ObjectNode node = head("chat.completion.chunk");
        ObjectNode choice = node.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
        return "data: " + node + "\n\n";
    }

    private String usageChunk() {
        ObjectNode node = head("chat.completion.chunk");
        node.putArray("choices");
        node.set("usage", usageNode());
        return "data: " + node + "\n\n";
    }

    private ObjectNode usageNode() {
        long p = usage == null ? 0 : usage.promptTokens();
        long c = usage == null ? 0 : usage.completionTokens();
        ObjectNode u = json.createObjectNode().put("prompt_tokens", p).put("completion_tokens", c).put("total_tokens", p + c);
        if (usage != null && usage.estimated()) u.put("estimated", true); // ours, by tokenizer: the upstream sent none
        return u;
    }

    private ObjectNode completion() {
        ObjectNode node = head("chat.completion");
        ObjectNode choice = node.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (text.isEmpty() && !toolCalls.isEmpty()) message.putNull("content"); else message.put("content", text.toString());
        message.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            toolCalls.values().forEach(c -> calls.addObject().put("id", c.id).put("type", "function").putObject("function")
                    .put("name", c.name).put("arguments", c.arguments.toString()));
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason != null ? finishReason : toolCalls.isEmpty() ? "stop" : "tool_calls");
        node.set("usage", usageNode());
        return node;
    }

    /** One tool call put together from its fragments. */
    private static final class ToolCall {
        String id = "";
        String name = "";
        final StringBuilder arguments = new StringBuilder();

        void add(StreamEvent.ToolCallDelta t) {
            if (t.id() != null) id = t.id();
            if (t.name() != null) name += t.name();
            if (t.arguments() != null) arguments.append(t.arguments());
        }
    }
}
