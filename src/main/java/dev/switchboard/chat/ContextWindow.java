package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.TokenCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a conversation into a model's context window ({@code switchboard.context-tokens[<model>]}): the oldest turns
 * are left out of the request, the system prompt and the newest message always kept.
 */
final class ContextWindow {
    /** The messages to send and how many of the conversation's were left out. */
    record Fit(List<ChatMessage> messages, int leftOut) {}

    private ContextWindow() {}

    /** @param limit the model's context in tokens, or null for no limit */
    static Fit fit(String model, Integer limit, List<ChatMessage> messages) {
        if (limit == null || limit <= 0) return new Fit(messages, 0);
        List<ChatMessage> system = new ArrayList<>();
        List<ChatMessage> turns = new ArrayList<>();
        long total = TokenCounter.promptOverhead();
        List<Long> sizes = new ArrayList<>();
        for (ChatMessage m : messages) {
            long n = TokenCounter.countMessage(model, m);
            total += n;
            if (turns.isEmpty() && (m.role() == ChatMessage.Role.SYSTEM || m.role() == ChatMessage.Role.DEVELOPER)) {
                system.add(m);
            } else {
                turns.add(m);
                sizes.add(n);
            }
        }
        int drop = 0;
        // Leave out whole messages from the oldest, never the last one; a reply left without its question goes too.
        while (drop < turns.size() - 1 && (total > limit || turns.get(drop).role() == ChatMessage.Role.ASSISTANT && drop > 0)) {
            total -= sizes.get(drop);
            drop++;
        }
        if (drop == 0) return new Fit(messages, 0);
        List<ChatMessage> out = new ArrayList<>(system);
        out.addAll(turns.subList(drop, turns.size()));
        return new Fit(out, drop);
    }
}
