package dev.switchboard.llm;

import java.util.List;

/** Every upstream of the chain failed before its first token; the message names what each one did. */
public class AllUpstreamsFailedException extends UpstreamException {
    private final List<String> attempts;

    public AllUpstreamsFailedException(List<String> attempts, UpstreamException last) {
        super(last.kind(), last.status(), summary(attempts, last), last.retryAfter(), last);
        this.attempts = List.copyOf(attempts);
    }

    public List<String> attempts() { return attempts; }

    private static String summary(List<String> attempts, UpstreamException last) {
        if (last.kind() == Kind.CONTEXT_TOO_LONG) return "The conversation is too long for this model.";
        if (last.kind() == Kind.BAD_REQUEST) return "The upstream rejected the request (" + last.reason() + ").";
        return attempts.size() == 1 ? "The upstream did not answer: " + attempts.get(0) + "."
                : "No upstream answered: " + String.join("; ", attempts) + ".";
    }
}
