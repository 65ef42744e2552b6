package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.GenerationEvent;
import dev.switchboard.chat.GenerationState;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.security.ApiError;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Answers {@code POST /api/chat} for a known user, whichever way the request came in ({@link ChatApiController}
 * behind the filter chain, or {@link ChatApiFastLane} for a bearer token). Streams {@code data: {"content": ...}}
 * per delta, then {@code data: {"usage": {...}}} and {@code data: [DONE]}; {@code upstream}, {@code failover} and
 * {@code error} events carry their own key. A client that goes away stops the upstream stream.
 */
@Component
class ChatApiHandler {
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final ChatService chat;
    private final ObjectMapper json;
    private final ChatRequestParser parser;
    private final Duration flushInterval;
    /** Flushes content joined within the flush interval; the writes themselves are short. */
    private final ScheduledThreadPoolExecutor flushTimer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sse-flush");
        t.setDaemon(true);
        return t;
    });

    ChatApiHandler(ChatService chat, ObjectMapper json, SwitchboardProperties props) {
        this.chat = chat;
        this.json = json;
        this.parser = new ChatRequestParser(json, chat.maxMessageChars());
        this.flushInterval = props.apiFlushInterval();
        flushTimer.setRemoveOnCancelPolicy(true); // most batches cancel their timed flush
    }

    @PreDestroy
    void stopTimer() {
        flushTimer.shutdownNow();
    }

    /**
     * Answers on the servlet's own async context rather than a {@code ResponseBodyEmitter}: the emitter ends with
     * an async dispatch that runs the whole filter chain and DispatcherServlet a second time, which was ~8 % of the
     * app's CPU per streamed chat in the benchmark. A refused request throws {@link ApiRejection} or
     * {@link LimitExceededException}, before anything is written; {@link #refusal} is its answer.
     */
    void handle(HttpServletRequest request, HttpServletResponse response, String username) throws IOException {
        ChatRequestParser.ChatRequest body = parser.parse(readBody(request));
        String model;
        try {
            model = chat.resolveModel(body.model());
        } catch (IllegalArgumentException e) {
            throw new ApiRejection(HttpStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
        }
        Generation generation = chat.accept(username, model, body.messages()); // a limit throws: 429 (refusal)
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // a reply takes as long as it takes; a stalled upstream has its own timeout
        // Through the security filters' wrapper, which adds their headers when the response commits: with the first
        // events, in one write, or below. Not before the upstream request: that write was on every first token's path.
        OutputStream socket = response.getOutputStream();
        SseStream out = new SseStream(new SseStream.Sink() {
            @Override
            public void send(String event) throws IOException {
                socket.write(event.getBytes(StandardCharsets.UTF_8));
                socket.flush();
            }

            @Override
            public void sendLast(String event) throws IOException {
                socket.write(event.getBytes(StandardCharsets.UTF_8)); // flushed by the close below
            }

            @Override
            public void complete() {
                try {
                    // The response's last chunk goes out here, blocking, with [DONE], in one write: the client has
                    // its whole answer whatever becomes of complete()'s dispatch to a container thread.
                    socket.close();
                } catch (IOException | RuntimeException clientGone) {
                    // gone, or ClientGone already ended (and Tomcat recycled) the response: complete() below is a no-op
                }
                try {
                    async.complete();
                } catch (IllegalStateException alreadyEnded) {
                    // the client left and ClientGone ended the response first
                }
            }
        }, flushTimer, flushInterval, generation::stop);
        async.addListener(new ClientGone(generation));
        generation.subscribe(event -> {
            try {
                write(out, event);
            } catch (IOException | IllegalStateException e) {
                generation.stop(); // the client is gone: stop paying for tokens nobody reads
                throw new IllegalStateException("client gone", e);
            }
        });
        chat.beginHere(generation);
        // The headers now, if no event has gone yet (a slow upstream), so the client knows it was accepted; under
        // the stream's lock, as a reader thread may be writing the first events.
        synchronized (out) {
            if (!response.isCommitted()) response.flushBuffer();
        }
    }

    /** A client that goes away stops the upstream stream; the response is ended rather than sent to /error. */
    private record ClientGone(Generation generation) implements AsyncListener {
        @Override
        public void onError(AsyncEvent event) {
            end(event);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end(event);
        }

        private void end(AsyncEvent event) {
            generation.stop();
            event.getAsyncContext().complete();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // the reply ended normally or was ended above
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }

    private void write(SseStream out, GenerationEvent event) throws IOException {
        if (event instanceof GenerationEvent.Delta d) {
            out.content(d.text());
            return;
        }
        if (event instanceof GenerationEvent.CaughtUp) {
            out.caughtUp();
            return;
        }
        ObjectNode node = json.createObjectNode();
        if (event instanceof GenerationEvent.Started s) {
            node.put("upstream", s.upstream()).put("model", s.model());
            if (s.offline()) node.put("offline", true);
            out.eventWithNext(node); // the first content follows at once
            return;
        } else if (event instanceof GenerationEvent.Failover f) {
            node.putObject("failover").put("from", f.from()).put("to", f.to()).put("reason", f.reason());
        } else if (event instanceof GenerationEvent.Usage u) {
            ObjectNode usage = node.putObject("usage").put("prompt_tokens", u.usage().promptTokens())
                    .put("completion_tokens", u.usage().completionTokens());
            if (u.usage().estimated()) usage.put("estimated", true);
        } else if (event instanceof GenerationEvent.Finished f) {
            finish(out, f.state());
            return;
        }
        out.event(node);
    }

    private void finish(SseStream out, GenerationState s) throws IOException {
        if (s.status() == GenerationStatus.FAILED || s.status() == GenerationStatus.INTERRUPTED) {
            ObjectNode node = json.createObjectNode();
            node.putObject("error").put("message", s.error() == null ? "The reply failed." : s.error())
                    .put("type", s.status() == GenerationStatus.FAILED ? "upstream_error" : "stream_interrupted");
            out.event(node);
        }
        out.done();
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) throw tooLarge();
        try (InputStream in = request.getInputStream()) {
            // A declared length is read into one array of that size (the container stops there); only a chunked
            // body goes through readNBytes' 8 KB steps.
            byte[] bytes = in.readNBytes(declared >= 0 ? (int) declared : MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
            return bytes;
        }
    }

    private static ApiRejection tooLarge() {
        return new ApiRejection(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", "The body is larger than 1 MB.");
    }

    /** The answer to a refused request: 429 with Retry-After for a limit, so well-behaved clients wait. */
    static ResponseEntity<ApiError> refusal(RuntimeException e) {
        if (e instanceof LimitExceededException limit) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_JSON)
                    .header("Retry-After", Long.toString(Math.max(1, limit.retryAfter().toSeconds())))
                    .body(ApiError.of(limit.type(), limit.getMessage()));
        }
        return ((ApiRejection) e).toResponse();
    }
}
