package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.llm.StreamEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes batches of a generation's events to one {@code /api/chat} response in the seed guide's format:
 * {@code upstream}, {@code failover}, {@code content}, {@code usage} and {@code error} events as {@code data: {...}},
 * then {@code data: [DONE]}. A batch leaves in one write. A failed write means the client is gone.
 */
final class SseStream {
    /** What ends the response and what to do when the client has gone. */
    interface Ending {
        void complete();

        void clientGone();
    }

    private final OutputStream out;
    private final ObjectMapper json;
    private final Ending ending;
    private boolean ended;

    SseStream(OutputStream out, ObjectMapper json, Ending ending) {
        this.out = out;
        this.json = json;
        this.ending = ending;
    }

    synchronized void write(List<StreamEvent> batch) {
        if (ended) return;
        StringBuilder events = new StringBuilder();
        boolean last = false;
        for (StreamEvent e : batch) {
            ObjectNode node = node(e);
            if (node != null) events.append("data: ").append(node).append("\n\n");
            if (e instanceof StreamEvent.Finished) {
                events.append("data: [DONE]\n\n");
                last = true;
            }
        }
        try {
            out.write(events.toString().getBytes(StandardCharsets.UTF_8));
            if (last) out.close(); else out.flush();
        } catch (IOException | RuntimeException gone) {
            ended = true;
            ending.clientGone();
            return;
        }
        if (last) {
            ended = true;
            ending.complete();
        }
    }

    /** The event's JSON, or null for events the API does not send (the end is [DONE] alone unless it failed). */
    ObjectNode node(StreamEvent event) {
        ObjectNode node = json.createObjectNode();
        if (event instanceof StreamEvent.Delta d) {
            node.put("content", d.text());
        } else if (event instanceof StreamEvent.Started s) {
            node.put("upstream", s.upstream()).put("model", s.model());
            if (s.offline()) node.put("offline", true);
        } else if (event instanceof StreamEvent.ToolCallDelta t) {
            // Only when the caller offered tools: a fragment of a call, as OpenAI streams it (index, id, name, arguments).
            ObjectNode call = node.putObject("tool_call").put("index", t.index());
            if (t.id() != null) call.put("id", t.id());
            if (t.name() != null) call.put("name", t.name());
            if (t.arguments() != null) call.put("arguments", t.arguments());
        } else if (event instanceof StreamEvent.Failover f) {
            node.putObject("failover").put("from", f.from()).put("to", f.to()).put("reason", f.reason());
        } else if (event instanceof StreamEvent.Usage u) {
            ObjectNode usage = node.putObject("usage").put("prompt_tokens", u.usage().promptTokens())
                    .put("completion_tokens", u.usage().completionTokens());
            if (u.usage().estimated()) usage.put("estimated", true);
        } else if (event instanceof StreamEvent.Finished f && f.error() != null) {
            node.putObject("error").put("message", f.message())
                    .put("type", f.outcome() == StreamEvent.Outcome.FAILED ? "upstream_error" : "stream_interrupted");
        } else {
            return null;
        }
        return node;
    }
}
