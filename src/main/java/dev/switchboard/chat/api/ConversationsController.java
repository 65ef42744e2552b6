package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.chat.ConversationExport;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.ConversationSummary;
import dev.switchboard.chat.StoredConversation;
import dev.switchboard.security.ApiError;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The caller's own conversations: {@code GET /api/conversations} (paged, {@code q=} searches titles and messages),
 * {@code GET /api/conversations/{id}} (with every message and version), {@code PATCH} (title, pinned), {@code DELETE},
 * and {@code GET /api/conversations/{id}/export?format=markdown|json}. Another user's id is a 404, as an unknown one is.
 */
@RestController
@RequestMapping("/api/conversations")
class ConversationsController {
    private final ConversationHistory history;
    private final ObjectMapper json;

    ConversationsController(ConversationHistory history, ObjectMapper json) {
        this.history = history;
        this.json = json;
    }

    @GetMapping
    ConversationJson.Page list(Authentication caller, @RequestParam(defaultValue = "") String q,
                               @RequestParam(defaultValue = "0") @Min(0) int page,
                               @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size) {
        List<ConversationSummary> found = history.page(caller.getName(), q, page * size, size + 1);
        boolean more = found.size() > size;
        return new ConversationJson.Page(found.stream().limit(size).map(ConversationJson.Summary::of).toList(),
                page, size, more);
    }

    @GetMapping("/{id}")
    ConversationJson.Full get(Authentication caller, @PathVariable String id) {
        return ConversationJson.Full.of(find(caller, id));
    }

    @PatchMapping("/{id}")
    ConversationJson.Summary update(Authentication caller, @PathVariable String id, @Valid @RequestBody ConversationPatch patch) {
        find(caller, id); // 404 first: the path is the first thing wrong
        if (patch.title() != null && !history.rename(caller.getName(), id, patch.title())) throw new NotFound();
        if (patch.pinned() != null && !history.pin(caller.getName(), id, patch.pinned())) throw new NotFound();
        return ConversationJson.Summary.of(find(caller, id).summary());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Authentication caller, @PathVariable String id) {
        if (!history.delete(caller.getName(), id)) throw new NotFound();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/export")
    ResponseEntity<byte[]> export(Authentication caller, @PathVariable String id,
                                  @RequestParam(defaultValue = "markdown") String format) throws Exception {
        StoredConversation c = find(caller, id);
        String name = fileName(c.summary().title());
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "markdown", "md" -> file(ConversationExport.markdown(c).getBytes(StandardCharsets.UTF_8),
                    new MediaType("text", "markdown", StandardCharsets.UTF_8), name + ".md");
            case "json" -> file(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(ConversationExport.openAi(c)),
                    MediaType.APPLICATION_JSON, name + ".json");
            default -> throw new BadFormat();
        };
    }

    private StoredConversation find(Authentication caller, String id) {
        return history.find(caller.getName(), id).orElseThrow(NotFound::new);
    }

    private static ResponseEntity<byte[]> file(byte[] body, MediaType type, String name) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    /** A file name from the title: letters, digits and dashes. */
    static String fileName(String title) {
        String s = title.replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("(^-+|-+$)", "");
        if (s.length() > 60) s = s.substring(0, 60);
        return s.isEmpty() ? "conversation" : s;
    }

    private static final class NotFound extends RuntimeException {
        NotFound() {
            super("No conversation with this id.", null, false, false);
        }
    }

    private static final class BadFormat extends RuntimeException {
        BadFormat() {
            super("'format' must be markdown or json.", null, false, false);
        }
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ApiError> notFound(NotFound e) {
        return error(HttpStatus.NOT_FOUND, "not_found", e.getMessage());
    }

    @ExceptionHandler(BadFormat.class)
    ResponseEntity<ApiError> badFormat(BadFormat e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalidBody(MethodArgumentNotValidException e) {
        String message = e.getBindingResult().getAllErrors().stream()
                .map(org.springframework.context.support.DefaultMessageSourceResolvable::getDefaultMessage)
                .sorted().findFirst().orElse("The body is not valid.");
        return error(HttpStatus.BAD_REQUEST, "invalid_request_error", message);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request_error",
                "'page' must be 0 or more and 'size' between 1 and 200.");
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String type, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(type, message));
    }
}
