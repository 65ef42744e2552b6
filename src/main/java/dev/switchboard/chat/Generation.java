package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.Route;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.TokenCounter;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.usage.UsageRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One reply being generated. It belongs to its conversation, not to a tab: listeners (tabs, an API response)
 * attach and detach freely; {@link #stop()} is the only way to end it early. The router's events reach it one at a
 * time on an upstream thread; it keeps the state and passes them on, so listeners must hand work off quickly.
 */
public final class Generation {
    /** The longest a generation's last events wait for its usage row (a database that is down must not hang clients). */
    static final Duration DURABLE_WAIT = Duration.ofSeconds(3);
    private final String id = timeOrderedId(System.currentTimeMillis());
    private final String user;
    private final String conversationId;
    private final CompletionRequest request;
    private final String source;
    private final Instant startedAt = Instant.now();
    private final long t0 = System.nanoTime();
    private final List<Consumer<StreamEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Stores the end (reply, usage row); the end's events go out once what it returns completes. */
    private volatile Function<Generation, CompletableFuture<?>> ender = g -> CompletableFuture.completedFuture(null);
    private final CompletableFuture<Generation> ended = new CompletableFuture<>();

    // Guarded by this.
    private final StringBuilder text = new StringBuilder();
    private final List<StreamEvent.Failover> failovers = new ArrayList<>();
    private String upstream;
    private String model;
    private String upstreamRequestId;
    private boolean offline;
    private TokenUsage usage;
    private GenerationStatus status = GenerationStatus.RUNNING;
    private String error;
    private String errorDetail;
    private Long ttftMillis;
    private long firstTokenNanos; // System.nanoTime() when the first token came; 0 until then
    private Instant endedAt;
    private Route route;
    private volatile int leftOut;
    private volatile boolean quotaReserved;

    /**
     * A version 7 UUID: the time in milliseconds, then random bits. Usage rows are indexed by this id; ids in the
     * order they were made land at the end of that index as rows do, where random ones made each row of a batch
     * change (and the store rewrite) a page of its own anywhere in the index. The random bits are for uniqueness, not
     * secrecy (the id opens nothing): ThreadLocalRandom's, as UUID.randomUUID's SecureRandom read /dev/urandom under
     * a lock shared by every request thread.
     */
    static String timeOrderedId(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = epochMillis << 16 | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L; // the IETF variant, 10
        return new UUID(high, low).toString();
    }

    Generation(String user, String conversationId, CompletionRequest request) {
        this(user, conversationId, request, conversationId != null ? "ui" : "api");
    }

    /** @param source where the request came from, kept with the usage row ("ui", "api", "v1") */
    Generation(String user, String conversationId, CompletionRequest request, String source) {
        this.user = user;
        this.conversationId = conversationId;
        this.request = request;
        this.source = source;
    }

    /**
     * Starts the stream. {@code end} runs once when it ends, before its last events (usage, finished) go out: they
     * wait (at most {@link #DURABLE_WAIT}) for what it returns, so a client told the usage knows it is stored.
     */
    void start(UpstreamRouter router, Function<Generation, CompletableFuture<?>> end) {
        ender = end;
        Route r = router.route(request, this::on);
        synchronized (this) {
            route = r;
        }
    }

    public String id() { return id; }
    public String user() { return user; }
    public String conversationId() { return conversationId; }
    public CompletionRequest request() { return request; }
    public String source() { return source; }
    public Instant startedAt() { return startedAt; }

    /** How many of the conversation's oldest messages were left out of the request to fit the context window. */
    public int leftOutMessages() { return leftOut; }

    void leftOut(int messages) { this.leftOut = messages; }

    /** True when its quota reservation wrote its usage row. */
    boolean quotaReserved() { return quotaReserved; }

    void quotaReserved(boolean reserved) { this.quotaReserved = reserved; }

    /** Attaches a listener and returns the state it starts from: events after it are exactly the ones it gets. */
    public synchronized GenerationState subscribe(Consumer<StreamEvent> listener) {
        if (status == GenerationStatus.RUNNING) listeners.add(listener);
        return state();
    }

    public void unsubscribe(Consumer<StreamEvent> listener) {
        listeners.remove(listener);
    }

    /** Stops the upstream stream; the partial reply is kept and marked stopped. */
    public void stop() {
        cancel(StreamEvent.Finished.STOPPED);
    }

    /** Ends it as interrupted (the server is stopping): the partial reply is kept, the client told {@code why}. */
    void interrupt(String why) {
        cancel(new StreamEvent.Finished(StreamEvent.Outcome.INTERRUPTED,
                new dev.switchboard.llm.UpstreamException(dev.switchboard.llm.UpstreamException.Kind.CANCELLED, why)));
    }

    private void cancel(StreamEvent.Finished end) {
        Route r;
        synchronized (this) {
            if (status != GenerationStatus.RUNNING) return;
            r = route;
        }
        if (r != null) r.cancel();
        finish(end);
    }

    /** Completes once the generation ended and its last events went out. */
    CompletableFuture<Generation> ended() { return ended; }

    public synchronized GenerationState state() {
        return new GenerationState(id, text.toString(), upstream, model, offline, status, error,
                failovers.stream().map(f -> f.from() + ": " + f.reason()).toList(), usage);
    }

    public synchronized Long ttftMillis() { return ttftMillis; }
    public synchronized Instant endedAt() { return endedAt; }
    public synchronized int failoverCount() { return failovers.size(); }

    /** The failovers so far, in order. */
    public synchronized List<StreamEvent.Failover> failovers() { return List.copyOf(failovers); }

    /** {@link System#nanoTime()} when the first token came, or 0 while none has. */
    public synchronized long firstTokenNanos() { return firstTokenNanos; }

    private void emit(StreamEvent e) {
        for (Consumer<StreamEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                listeners.remove(l); // a broken listener (e.g. a gone client) must not stop the stream for others
            }
        }
    }

    private void finish(StreamEvent.Finished end) {
        StreamEvent.Usage counted;
        synchronized (this) {
            if (status != GenerationStatus.RUNNING) return;
            status = GenerationStatus.valueOf(end.outcome().name());
            error = end.message();
            errorDetail = end.error() == null ? null : end.error().detail();
            endedAt = Instant.now();
            if (usage == null && end.outcome() == StreamEvent.Outcome.FAILED && upstream == null) {
                // No upstream ever answered: nothing was generated, so nothing is billed (flagged as our count).
                usage = new TokenUsage(0, 0, true);
            } else if (usage == null) {
                // No usage chunk (stopped, broken, or the upstream never sends one): count with the tokenizer.
                usage = TokenCounter.estimate(model != null ? model : request.model(), request.messages(), text.toString());
            }
            counted = new StreamEvent.Usage(usage);
        }
        CompletableFuture<?> stored;
        try {
            stored = ender.apply(this);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.toCompletableFuture().copy().completeOnTimeout(null, DURABLE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> {
                    synchronized (this) {
                        emit(counted);
                        emit(end);
                        listeners.clear();
                    }
                    ended.complete(this);
                });
    }

    /** The router's events, one at a time: kept in the state, then passed on to the listeners. */
    private void on(StreamEvent event) {
        if (event instanceof StreamEvent.Finished f) {
            finish(f);
            return;
        }
        if (event instanceof StreamEvent.Attempt a) {
            attempts.add(new Attempt(a.upstream(), a.outcome(), a.latencyMillis(), Instant.now()));
            return;
        }
        synchronized (this) {
            if (status != GenerationStatus.RUNNING) return;
            if (event instanceof StreamEvent.Started s) {
                upstream = s.upstream();
                model = s.model();
                offline = s.offline();
                upstreamRequestId = s.requestId();
                firstTokenNanos = System.nanoTime();
                ttftMillis = (firstTokenNanos - t0) / 1_000_000;
            } else if (event instanceof StreamEvent.Failover f) {
                failovers.add(f);
            } else if (event instanceof StreamEvent.Delta d) {
                text.append(d.text());
            } else if (event instanceof StreamEvent.Usage u) {
                usage = u.usage();
                return; // told at the end, once the usage row is stored
            }
            emit(event);
        }
    }

    /** One upstream attempt of this generation, for the admin. */
    public record Attempt(String upstream, String outcome, long latencyMillis, Instant at) {}

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    public List<Attempt> attempts() { return List.copyOf(attempts); }

    /**
     * The usage row of this generation while it runs: the tokens so far (estimated, unless the upstream's count
     * came), saved as its progress.
     */
    public synchronized UsageRecord progressRecord() {
        TokenUsage soFar = usage != null ? usage
                : TokenCounter.estimate(model != null ? model : request.model(), request.messages(), text.toString());
        Instant now = Instant.now();
        return new UsageRecord(id, user, conversationId, request.model(), model, upstream, soFar.promptTokens(),
                soFar.completionTokens(), soFar.estimated(), "running", failovers.size(), null, ttftMillis,
                Duration.between(startedAt, now).toMillis(), startedAt, now, List.of(), source, upstreamRequestId);
    }

    /** The usage row of this (finished) generation. */
    public synchronized UsageRecord toUsageRecord() {
        Instant end = endedAt != null ? endedAt : Instant.now();
        return new UsageRecord(id, user, conversationId, request.model(), model, upstream,
                usage == null ? 0 : usage.promptTokens(), usage == null ? 0 : usage.completionTokens(),
                usage == null || usage.estimated(), status.label(), failovers.size(),
                errorDetail == null ? error : error + " (upstream said: " + errorDetail + ")", ttftMillis,
                Duration.between(startedAt, end).toMillis(), startedAt, end,
                attempts.stream().map(a -> new UsageRecord.Attempt(a.upstream(), a.outcome(), a.latencyMillis(), a.at())).toList(),
                source, upstreamRequestId);
    }

    /** The messages sent, system prompt first. */
    public List<ChatMessage> messages() { return request.messages(); }
}
