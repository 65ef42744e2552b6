package dev.switchboard.llm;

import java.util.List;

/**
 * The route ended before any content: every upstream tried failed (the message names what each one did), or one
 * refused the request itself (400/422, context too long), which no other upstream would take either.
 */
public class AllUpstreamsFailedException extends UpstreamException {
    private final List<String> attempts;

    public AllUpstreamsFailedException(List<String> attempts, UpstreamException last) {
        super(last.kind(), last.status(), summary(attempts, last), last.retryAfter(), last, last.detail());
        this.attempts = List.copyOf(attempts);
    }

    /** What each upstream did, e.g. "primary: 503", in the order tried. */
    public List<String> attempts() { return attempts; }

    /** True when the request itself was refused (the caller's fault): retrying as is will not help. */
    public boolean callerFault() { return !failoverWorthy(); }

    private static String summary(List<String> attempts, UpstreamException last) {
        if (last.kind() == Kind.CONTEXT_TOO_LONG) {
            return "The conversation is too long for this model: shorten it or start a new conversation.";
        }
        if (last.kind() == Kind.BAD_REQUEST) {
            return "The upstream rejected the request (" + (attempts.isEmpty() ? last.reason() : attempts.get(attempts.size() - 1)) + ").";
        }
        return attempts.size() == 1 ? "The upstream did not answer: " + attempts.get(0) + "."
                : "No upstream answered: " + String.join("; ", attempts) + ".";
    }
}
