package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Coalescer;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.security.ApiError;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

/**
 * {@code POST /api/chat}, the seed guide's route: streams {@code data: {"content": ...}} per batch of deltas, then
 * {@code data: {"usage": {...}}} and {@code data: [DONE]}; {@code upstream}, {@code failover} and {@code error}
 * events carry their own key (see {@link SseStream}). A client that goes away stops the generation.
 */
@RestController
class ChatApiController {
    static final String PATH = "/api/chat";

    private final ChatService chat;
    private final ObjectMapper json;
    private final ChatRequestParser parser;

    ChatApiController(ChatService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
        this.parser = new ChatRequestParser(json, chat.maxMessageChars());
    }

    /**
     * Streams on the servlet's async context: the generation writes each batch from its own thread. A refused
     * request throws {@link ApiRejection} or {@link LimitExceededException} before anything is written.
     */
    @PostMapping(path = PATH)
    void chat(HttpServletRequest request, HttpServletResponse response, Principal principal) throws IOException {
        ChatRequestParser.ChatRequest body = parser.parse(RequestBodies.read(request, ChatApiController::tooLarge));
        String model;
        try {
            model = chat.resolveModel(body.model());
        } catch (IllegalArgumentException e) {
            throw new ApiRejection(HttpStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
        }
        Generation generation = chat.accept(principal.getName(), new CompletionRequest(model, body.messages(), body.options()), "api");
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // a reply takes as long as it takes; a stalled upstream has its own timeout
        async.addListener(new ClientGone(generation));
        response.flushBuffer(); // the headers now: the client knows it was accepted, whatever the upstream does
        SseStream sse = new SseStream(response.getOutputStream(), json, new SseStream.Ending() {
            @Override
            public void complete() {
                async.complete();
            }

            @Override
            public void clientGone() {
                chat.later(generation::stop); // not on this thread: it may hold the generation's or the batcher's lock
                try {
                    async.complete();
                } catch (IllegalStateException alreadyEnded) {
                    // Tomcat saw the error first and ClientGone ended the response
                }
            }
        });
        Coalescer coalescer = chat.coalescer(sse::write);
        generation.subscribe(coalescer);
        chat.begin(generation);
    }

    private static ApiRejection tooLarge() {
        return new ApiRejection(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", "The body is larger than 1 MB.");
    }

    /** A refused request: 429 with Retry-After for a limit, so well-behaved clients wait. */
    @ExceptionHandler({LimitExceededException.class, ApiRejection.class})
    ResponseEntity<ApiError> refused(RuntimeException e) {
        if (e instanceof LimitExceededException limit) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_JSON)
                    .header("Retry-After", Long.toString(Math.max(1, limit.retryAfter().toSeconds())))
                    .body(ApiError.of(limit.type(), limit.getMessage()));
        }
        return ((ApiRejection) e).toResponse();
    }
}
