package dev.switchboard.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.admin.users.NewUser;
import dev.switchboard.admin.users.UserAdminException;
import dev.switchboard.admin.users.UserAdministration;
import dev.switchboard.security.ApiError;
import dev.switchboard.users.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * User provisioning for scripts: {@code POST/GET /api/admin/users}, {@code GET/PATCH /api/admin/users/{username}}.
 * ADMIN only, which the /api security chain enforces (403 JSON for others). Every change is audited by
 * {@link UserAdministration}; answers never contain a password hash.
 */
@RestController
@RequestMapping("/api/admin/users")
class AdminUsersController {

    /** A user as the API shows it. */
    record UserJson(String username, String displayName, String role, boolean enabled, Long dailyTokenQuota,
                    Instant createdAt) {
        static UserJson of(UserAccount a) {
            return new UserJson(a.username(), a.displayName(), a.role().name(), a.enabled(), a.dailyTokenQuota(),
                    a.createdAt());
        }
    }

    /** Far above any real request; stops a huge body from being read into memory. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final UserAdministration users;
    private final AdminUserRequests requests;

    AdminUsersController(UserAdministration users, ObjectMapper json) {
        this.users = users;
        this.requests = new AdminUserRequests(json);
    }

    @PostMapping
    ResponseEntity<UserJson> create(Authentication caller, HttpServletRequest request) throws IOException {
        NewUser user = requests.create(readBody(request));
        UserAccount created = users.create(caller.getName(), user);
        URI location = URI.create("/api/admin/users/" + UriUtils.encodePathSegment(created.username(), StandardCharsets.UTF_8));
        return ResponseEntity.created(location).contentType(MediaType.APPLICATION_JSON).body(UserJson.of(created));
    }

    @GetMapping
    List<UserJson> list() {
        return users.list().stream().map(UserJson::of).toList();
    }

    @GetMapping("/{username}")
    UserJson get(@PathVariable String username) {
        return users.find(username).map(UserJson::of).orElseThrow(() -> notFound(username));
    }

    @PatchMapping("/{username}")
    UserJson update(Authentication caller, @PathVariable String username, HttpServletRequest request) throws IOException {
        byte[] body = readBody(request);
        if (users.find(username).isEmpty()) {
            throw notFound(username); // 404 before judging the body: the path is the first thing wrong
        }
        return UserJson.of(users.update(caller.getName(), username, requests.patch(body)));
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) throw new TooLarge();
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) throw new TooLarge();
            return bytes;
        }
    }

    private static UserAdminException notFound(String username) {
        return UserAdminException.notFound(username);
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("The body is larger than 64 KB.", null, false, false);
        }
    }

    @ExceptionHandler(AdminUserRequests.BadRequest.class)
    ResponseEntity<ApiError> badRequest(AdminUserRequests.BadRequest e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
    }

    @ExceptionHandler(TooLarge.class)
    ResponseEntity<ApiError> tooLarge(TooLarge e) {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", e.getMessage());
    }

    @ExceptionHandler(UserAdminException.class)
    ResponseEntity<ApiError> refused(UserAdminException e) {
        return switch (e.kind()) {
            case INVALID -> error(HttpStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
            case NOT_FOUND -> error(HttpStatus.NOT_FOUND, "not_found", e.getMessage());
            case CONFLICT -> error(HttpStatus.CONFLICT, "conflict", e.getMessage());
        };
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String type, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(type, message));
    }
}
