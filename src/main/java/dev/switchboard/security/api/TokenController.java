package dev.switchboard.security.api;

import dev.switchboard.security.ApiError;
import dev.switchboard.security.ApiTokenAuthentication;
import dev.switchboard.security.ApiTokens;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The caller's own API tokens. A new token is shown once, in the answer to POST. */
@RestController
@RequestMapping("/api/tokens")
class TokenController {

    record CreateRequest(String name) {
    }

    record CreateResponse(String token, long id, String name) {
        @Override
        public String toString() {
            return "CreateResponse[" + id + ", " + name + "]";
        }
    }

    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    ResponseEntity<?> create(Authentication caller, @RequestBody(required = false) CreateRequest body) {
        if (caller instanceof ApiTokenAuthentication) {
            // A leaked token must not be able to mint tokens that outlive its revocation.
            return error(HttpStatus.FORBIDDEN, "forbidden",
                    "Create tokens with your password (HTTP Basic) or from a logged-in session, not with a token.");
        }
        try {
            ApiTokens.CreatedToken created = tokens.create(caller.getName(), body == null ? null : body.name());
            return ResponseEntity.status(HttpStatus.CREATED)
                    .body(new CreateResponse(created.token(), created.id(), created.name()));
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
        }
    }

    @GetMapping
    List<ApiTokens.TokenInfo> list(Authentication caller) {
        return tokens.list(caller.getName());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<?> revoke(Authentication caller, @PathVariable long id) {
        return tokens.revoke(caller.getName(), id)
                ? ResponseEntity.noContent().build()
                : error(HttpStatus.NOT_FOUND, "not_found", "You have no active token with id " + id + ".");
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String type, String message) {
        return ResponseEntity.status(status).body(ApiError.of(type, message));
    }
}
