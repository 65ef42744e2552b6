package dev.switchboard.chat.api;

import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.security.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.security.Principal;

/**
 * {@code POST /api/chat}, the seed guide's route, for callers the filter chain let through: HTTP Basic, a login
 * session. A valid bearer token is served before the chain, by {@link ChatApiFastLane}, with the same handler.
 */
@RestController
public class ChatApiController {
    static final String PATH = "/api/chat";

    private final ChatApiHandler handler;

    ChatApiController(ChatApiHandler handler) {
        this.handler = handler;
    }

    @PostMapping(path = PATH)
    public void chat(HttpServletRequest request, HttpServletResponse response, Principal principal) throws IOException {
        handler.handle(request, response, principal.getName());
    }

    @ExceptionHandler({LimitExceededException.class, ApiRejection.class})
    ResponseEntity<ApiError> refused(RuntimeException e) {
        return ChatApiHandler.refusal(e);
    }
}
