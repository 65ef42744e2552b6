package dev.switchboard.chat.api;

import dev.switchboard.chat.ConversationHistory;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code PATCH /api/conversations/{id}}: a new title, pinned or not; at least one of them. */
record ConversationPatch(
        @Size(max = ConversationHistory.MAX_TITLE, message = "'title' may have at most {max} characters.")
        @Pattern(regexp = "(?s).*\\S.*", message = "'title' must not be blank.")
        String title,
        Boolean pinned) {

    @AssertTrue(message = "Nothing to change: send 'title', 'pinned' or both.")
    boolean isSomething() {
        return title != null || pinned != null;
    }
}
