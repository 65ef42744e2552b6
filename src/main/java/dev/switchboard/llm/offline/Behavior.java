package dev.switchboard.llm.offline;

import java.time.Duration;

/**
 * How {@link OfflineModelServer} answers one call. The default is the friendly offline model;
 * the other knobs inject the faults that real upstreams show, for tests and benchmarks.
 *
 * @param status          HTTP status to answer with instead of streaming (0 = stream normally)
 * @param retryAfter      Retry-After header sent with an error status (null = none)
 * @param firstTokenDelay wait before the first chunk (a "hang" when long)
 * @param tokensPerSecond pacing of the tokens after the first (0 = as fast as possible)
 * @param dropAfter       close the connection after this many content chunks (-1 = never)
 * @param stallAfter      stop sending, connection open, after this many chunks (-1 = never)
 * @param malformedAfter  send a chunk that is not JSON after this many chunks (-1 = never)
 * @param sendUsage       whether to end with the include_usage chunk
 * @param replyTokens     when > 0, reply with this many synthetic tokens instead of the offline text
 * @param contextWindow   when > 0, a prompt of more tokens gets OpenAI's 400 {@code context_length_exceeded}
 * @param replyText       when not null, this fixed reply (streamed a word at a time) instead of the offline text
 */
public record Behavior(int status, Duration retryAfter, Duration firstTokenDelay, double tokensPerSecond,
                       int dropAfter, int stallAfter, int malformedAfter, boolean sendUsage, int replyTokens,
                       int contextWindow, String replyText) {

    /** The offline model: about 40 tokens/s, usage at the end. */
    public static Behavior offline() {
        return new Behavior(0, null, Duration.ZERO, 40, -1, -1, -1, true, 0, 0, null);
    }

    /** Fast and faultless: for tests. */
    public static Behavior fast() {
        return new Behavior(0, null, Duration.ZERO, 0, -1, -1, -1, true, 0, 0, null);
    }

    public static Behavior failing(int status) {
        return new Behavior(status, null, Duration.ZERO, 0, -1, -1, -1, true, 0, 0, null);
    }

    public Behavior withStatus(int s, Duration retry) { return new Behavior(s, retry, firstTokenDelay, tokensPerSecond, dropAfter, stallAfter, malformedAfter, sendUsage, replyTokens, contextWindow, replyText); }
    public Behavior withFirstTokenDelay(Duration d) { return new Behavior(status, retryAfter, d, tokensPerSecond, dropAfter, stallAfter, malformedAfter, sendUsage, replyTokens, contextWindow, replyText); }
    public Behavior withTokensPerSecond(double t) { return new Behavior(status, retryAfter, firstTokenDelay, t, dropAfter, stallAfter, malformedAfter, sendUsage, replyTokens, contextWindow, replyText); }
    public Behavior withDropAfter(int n) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, n, stallAfter, malformedAfter, sendUsage, replyTokens, contextWindow, replyText); }
    public Behavior withStallAfter(int n) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, dropAfter, n, malformedAfter, sendUsage, replyTokens, contextWindow, replyText); }
    public Behavior withMalformedAfter(int n) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, dropAfter, stallAfter, n, sendUsage, replyTokens, contextWindow, replyText); }
    public Behavior withUsage(boolean u) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, dropAfter, stallAfter, malformedAfter, u, replyTokens, contextWindow, replyText); }
    public Behavior withReplyTokens(int n) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, dropAfter, stallAfter, malformedAfter, sendUsage, n, contextWindow, replyText); }
    public Behavior withContextWindow(int tokens) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, dropAfter, stallAfter, malformedAfter, sendUsage, replyTokens, tokens, replyText); }
    /** A fixed reply, e.g. markup that must arrive in the browser inert. */
    public Behavior withReplyText(String text) { return new Behavior(status, retryAfter, firstTokenDelay, tokensPerSecond, dropAfter, stallAfter, malformedAfter, sendUsage, replyTokens, contextWindow, text); }
}
