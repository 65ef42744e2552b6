package dev.switchboard.chat.ui;

import dev.switchboard.chat.GenerationState;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.TokenUsage;

import java.util.ArrayList;
import java.util.List;

/** The small text under a reply: who answered, failovers, how it ended, tokens. Pure, so it is tested alone. */
final class ReplyMeta {
    private ReplyMeta() {}

    /** E.g. "offline · gpt-5.5 · stopped · 12 + 48 tokens"; empty while nothing is known yet. */
    static String line(GenerationState s) {
        List<String> parts = new ArrayList<>();
        if (s.upstream() != null) parts.add(s.upstream());
        if (s.model() != null) parts.add(s.model());
        String status = status(s.status());
        if (status != null) parts.add(status);
        String tokens = tokens(s.usage());
        if (tokens != null && s.status() != GenerationStatus.RUNNING) parts.add(tokens);
        return String.join(" · ", parts);
    }

    /** "answered by backup; primary: 503" after a failover, else null. */
    static String failover(GenerationState s) {
        if (s.failovers().isEmpty()) return null;
        String by = s.upstream() == null ? "no upstream answered" : "answered by " + s.upstream();
        return by + "; " + String.join("; ", s.failovers());
    }

    /** Null for the normal cases (still running, completed). */
    static String status(GenerationStatus st) {
        return switch (st) {
            case RUNNING, COMPLETED -> null;
            default -> st.label();
        };
    }

    static String tokens(TokenUsage u) {
        if (u == null) return null;
        return (u.estimated() ? "~" : "") + u.promptTokens() + " + " + u.completionTokens() + " tokens";
    }

    /** True when the user may ask this (last) reply again. */
    static boolean retryable(GenerationStatus st) {
        return st == GenerationStatus.FAILED || st == GenerationStatus.INTERRUPTED || st == GenerationStatus.STOPPED;
    }
}
