package dev.switchboard.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.List;

/**
 * Counts tokens with a real BPE tokenizer (jtokkit) when an upstream sends no usage:
 * o200k_base for the gpt-4o/gpt-5/o-series families, cl100k_base for everything else.
 */
public final class TokenCounter {
    /** OpenAI's chat format adds about this many tokens per message and per reply. */
    private static final int PER_MESSAGE = 3;
    private static final int PER_REPLY = 3;

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private TokenCounter() {}

    public static Encoding encodingFor(String model) {
        String m = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
        boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
                || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o");
        return REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
    }

    public static long countText(String model, String text) {
        if (text == null || text.isEmpty()) return 0;
        return encodingFor(model).countTokensOrdinary(text);
    }

    public static long countPrompt(String model, List<ChatMessage> messages) {
        Encoding enc = encodingFor(model);
        long n = PER_REPLY;
        for (ChatMessage m : messages) n += count(enc, m);
        return n;
    }

    /** What one message adds to a prompt. */
    public static long countMessage(String model, ChatMessage m) {
        return count(encodingFor(model), m);
    }

    /** What every prompt costs besides its messages (the reply's priming). */
    public static long promptOverhead() {
        return PER_REPLY;
    }

    private static long count(Encoding enc, ChatMessage m) {
        return PER_MESSAGE + enc.countTokensOrdinary(m.role().wire()) + enc.countTokensOrdinary(m.content());
    }

    /** An estimate, flagged as such, for a request and the text received so far. */
    public static TokenUsage estimate(String model, List<ChatMessage> prompt, String completion) {
        return new TokenUsage(countPrompt(model, prompt), countText(model, completion), true);
    }
}
