package dev.switchboard.chat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.StreamEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * {@code POST /v1/chat/completions}, OpenAI's chat completions API, streamed or not, through the same machinery as
 * {@code /api/chat}: rate limit, quota, model allow-list, the router's failover, one usage row (source "v1").
 * A client that goes away stops the generation (one that does not stream is noticed by a space written each second).
 */
@RestController
class ChatCompletionsController {
    /** How soon a non-streaming client that hung up is noticed (see CompletionWriter#keepAlive). */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    private final ChatService chat;
    private final ObjectMapper json;
    private final Validator validator;
    private final ChatRequestParser parser;

    ChatCompletionsController(ChatService chat, ObjectMapper json, Validator validator) {
        this.chat = chat;
        this.json = json;
        this.validator = validator;
        this.parser = new ChatRequestParser(json, chat.maxMessageChars(), OpenAiError::badRequest);
    }

    @PostMapping("/v1/chat/completions")
    void complete(HttpServletRequest request, HttpServletResponse response, Principal principal) throws IOException {
        JsonNode root = parser.tree(RequestBodies.read(request, ChatCompletionsController::tooLarge));
        ChatCompletionRequest body;
        try {
            body = json.treeToValue(root, ChatCompletionRequest.class);
        } catch (JsonProcessingException e) {
            throw OpenAiError.badRequest("The body does not match the chat completions request: " + e.getOriginalMessage());
        }
        validator.validate(body).stream().min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ConstraintViolation::getMessage).ifPresent(m -> { throw OpenAiError.badRequest(m); });
        CompletionRequest completion = new CompletionRequest(body.model(), parser.messages(body.messages()), parser.options(root));
        Generation generation;
        try {
            generation = chat.accept(principal.getName(), completion, "v1");
        } catch (IllegalArgumentException unknownModel) {
            throw OpenAiError.modelNotFound(body.model());
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // a reply takes as long as it takes; a stalled upstream has its own timeout
        async.addListener(new ClientGone(generation));
        CompletionWriter writer = new CompletionWriter(response, json, new CompletionWriter.Ending() {
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
        }, body.streaming(), body.includeUsage(), "chatcmpl-" + generation.id(), generation.request().model());
        if (body.streaming()) {
            generation.subscribe(chat.coalescer(writer::write));
        } else {
            // One answer at the end: written off the generation's thread, which must not wait on a slow client.
            ScheduledFuture<?> keepAlive = chat.every(KEEP_ALIVE, writer::keepAlive);
            generation.subscribe(e -> {
                if (e instanceof StreamEvent.Finished) {
                    keepAlive.cancel(false);
                    chat.later(() -> writer.write(List.of(e)));
                } else {
                    writer.write(List.of(e));
                }
            });
        }
        chat.begin(generation);
    }

    private static OpenAiError tooLarge() {
        return new OpenAiError(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", "request_too_large", null,
                "The body is larger than 1 MB.", null);
    }

    @ExceptionHandler(OpenAiError.class)
    ResponseEntity<OpenAiError.Body> refused(OpenAiError e) {
        return e.toResponse();
    }

    /** 429 with Retry-After for a quota or rate limit, so the SDKs (and well-behaved clients) wait. */
    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<OpenAiError.Body> limited(LimitExceededException e) {
        return new OpenAiError(HttpStatus.TOO_MANY_REQUESTS, "quota_exceeded".equals(e.type()) ? "insufficient_quota" : "requests",
                e.type(), null, e.getMessage(), e.retryAfter()).toResponse();
    }
}
