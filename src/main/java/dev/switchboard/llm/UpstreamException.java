package dev.switchboard.llm;

import java.time.Duration;

/** Why an upstream call failed, classified so the router can decide between retry, failover and giving up. */
public class UpstreamException extends RuntimeException {

    public enum Kind {
        /** Could not connect, reset, DNS or TLS failure. */
        CONNECT,
        /** No answer or no chunk in time. */
        TIMEOUT,
        /** 429. */
        RATE_LIMITED,
        /** 5xx, 408, 409. */
        SERVER,
        /** 401/403: this upstream's key is bad. */
        AUTH,
        /** 404: the model may not exist there. */
        NOT_FOUND,
        /** 400/422: the caller's fault; another upstream would say the same. */
        BAD_REQUEST,
        /** The context window is exceeded. */
        CONTEXT_TOO_LONG,
        /** The stream broke after it began: drop, malformed chunk. */
        BROKEN_STREAM,
        /** Cancelled by us. */
        CANCELLED
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;
    private final String detail;

    /** @param message ours, safe to show a user (never the upstream's own words) */
    public UpstreamException(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        this(kind, status, message, retryAfter, cause, null);
    }

    /**
     * @param detail an excerpt of what the upstream said, secrets masked ({@link Secrets}): for logs, usage rows and
     *               the admin's upstream view, never for users
     */
    public UpstreamException(Kind kind, int status, String message, Duration retryAfter, Throwable cause, String detail) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.detail = detail == null || detail.isBlank() ? null : detail;
    }

    public UpstreamException(Kind kind, String message) {
        this(kind, 0, message, null, null);
    }

    public Kind kind() { return kind; }

    /** HTTP status, or 0 when there was none. */
    public int status() { return status; }

    /** What the upstream said (an excerpt, secrets masked), or null. */
    public String detail() { return detail; }

    /** The message with the upstream's masked excerpt: for logs, usage rows and admins. */
    public String operatorText() {
        return detail == null ? getMessage() : getMessage() + " (upstream said: " + detail + ")";
    }

    /** The upstream's Retry-After, or null. */
    public Duration retryAfter() { return retryAfter; }

    /** True when another upstream may well succeed where this one failed. */
    public boolean failoverWorthy() {
        return switch (kind) {
            case BAD_REQUEST, CONTEXT_TOO_LONG, CANCELLED -> false;
            default -> true;
        };
    }

    /** Short reason for notes and logs, e.g. "503" or "connection refused". */
    public String reason() {
        return status > 0 ? Integer.toString(status) : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
