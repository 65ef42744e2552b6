package dev.switchboard.chat;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.metrics.ChatMetrics;
import dev.switchboard.usage.UsageRecord;
import dev.switchboard.usage.UsageRecorder;
import dev.switchboard.llm.StreamEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Runs generations: for a conversation of the UI, or for a message list of the API. */
@Service
public class ChatService {
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    private final UpstreamRouter router;
    private final UsageRecorder usage;
    private final SwitchboardProperties props;
    private final ChatLimits limits;
    private final TaskScheduler timers;
    private final ConversationStore store;
    private final ChatMetrics metrics;
    private final AtomicLong unstored = new AtomicLong();
    /** The generations running now: their progress is saved every interval, and a stopping server ends them. */
    private final Set<Generation> running = ConcurrentHashMap.newKeySet();
    private final boolean titlesByModel;

    public ChatService(UpstreamRouter router, UsageRecorder usage, SwitchboardProperties props, ChatLimits limits,
                       TaskScheduler timers, ConversationStore store, ChatMetrics metrics,
                       @Value("${switchboard.usage.progress-interval:5s}") Duration progressInterval,
                       @Value("${switchboard.titles.by-model:false}") boolean titlesByModel) {
        this.titlesByModel = titlesByModel;
        timers.scheduleAtFixedRate(() -> running.forEach(g -> usage.running(g::progressRecord)),
                Instant.now().plus(progressInterval), progressInterval);
        this.store = store;
        this.metrics = metrics;
        this.router = router;
        this.usage = usage;
        this.props = props;
        this.limits = limits;
        this.timers = timers;
    }

    /** A batcher for one edge (a tab, an SSE response) that sends {@code out} a generation's events (see {@link Coalescer}). */
    public Coalescer coalescer(Consumer<List<StreamEvent>> out) {
        return new Coalescer(timers, out);
    }

    /** Runs {@code task} soon on one of the app's timer threads, holding none of the caller's locks. */
    public void later(Runnable task) {
        timers.schedule(task, java.time.Instant.now());
    }

    /** Runs {@code task} every {@code period} on a timer thread, from one period on, until the handle is cancelled. */
    public java.util.concurrent.ScheduledFuture<?> every(java.time.Duration period, Runnable task) {
        return timers.scheduleAtFixedRate(task, java.time.Instant.now().plus(period), period);
    }

    public List<String> models() { return props.models(); }

    public String defaultModel() { return props.effectiveDefaultModel(); }

    /** True when no real upstream is configured and the built-in offline model answers. */
    public boolean offline() { return router.offlineOnly(); }

    public int maxMessageChars() { return props.maxMessageChars(); }

    /** Checks a model name against {@code switchboard.models}; null means the default. */
    public String resolveModel(String model) {
        if (model == null || model.isBlank()) return defaultModel();
        if (!props.models().contains(model)) {
            throw new IllegalArgumentException("Unknown model '" + model + "'. Allowed: " + String.join(", ", props.models()) + ".");
        }
        return model;
    }

    /** Adds the user's message to the conversation (stored at once) and starts the reply. */
    public Generation send(Conversation conversation, String user, String model, String text) {
        String m = resolveModel(model);
        checkText(text);
        checkOwner(conversation, user);
        checkQuota(user);
        Conversation.Entry entry;
        synchronized (conversation) { // one turn at a time, whichever tab sends
            conversation.checkIdle();
            Instant now = Instant.now();
            if (!conversation.stored()) {
                String title = Titles.fromMessage(text);
                store.create(conversation.id(), user, title, m, conversation.systemPrompt(), now);
                conversation.markStored(title, m);
            } else if (!m.equals(conversation.model())) {
                store.setModel(conversation.id(), m);
                conversation.setModel(m);
            }
            Long parent = conversation.leaf();
            long id = store.add(conversation.id(), StoredMessage.user(0, parent, text, now));
            entry = conversation.addUserMessage(StoredMessage.user(id, parent, text, now));
        }
        return run(conversation, entry, user, m);
    }

    /** Asks the last turn again (Retry after a failed, interrupted or stopped reply): the old reply stays a version. */
    public Generation retry(Conversation conversation, String user, String model) {
        List<StoredMessage> path = conversation.path();
        if (path.isEmpty()) throw new IllegalStateException("Nothing to retry.");
        StoredMessage last = path.get(path.size() - 1);
        if (last.role() == ChatMessage.Role.USER) {
            String m = resolveModel(model);
            checkOwner(conversation, user);
            checkQuota(user);
            conversation.checkIdle();
            return run(conversation, null, user, m);
        }
        return regenerate(conversation, user, model, last.id());
    }

    /** A new version of reply {@code replyId}, asked with what preceded it; the earlier versions stay reachable. */
    public Generation regenerate(Conversation conversation, String user, String model, long replyId) {
        String m = resolveModel(model);
        checkOwner(conversation, user);
        checkQuota(user);
        StoredMessage reply = conversation.message(replyId);
        if (reply.role() != ChatMessage.Role.ASSISTANT || reply.parentId() == null) {
            throw new IllegalArgumentException("Only a reply can be regenerated.");
        }
        synchronized (conversation) {
            conversation.checkIdle();
            conversation.cutAfter(reply.parentId());
        }
        return run(conversation, null, user, m);
    }

    /** Sends {@code text} in place of question {@code messageId}, as a new version of it, and starts its reply. */
    public Generation edit(Conversation conversation, String user, String model, long messageId, String text) {
        String m = resolveModel(model);
        checkText(text);
        checkOwner(conversation, user);
        checkQuota(user);
        StoredMessage old = conversation.message(messageId);
        if (old.role() != ChatMessage.Role.USER) throw new IllegalArgumentException("Only your own messages can be edited.");
        synchronized (conversation) {
            conversation.checkIdle();
            Instant now = Instant.now();
            long id = store.add(conversation.id(), StoredMessage.user(0, old.parentId(), text, now));
            conversation.addVersion(StoredMessage.user(id, old.parentId(), text, now));
        }
        return run(conversation, null, user, m);
    }

    private Generation run(Conversation c, Conversation.Entry entry, String user, String model) {
        Long parent = c.leaf();
        ContextWindow.Fit fit = ContextWindow.fit(model, props.contextTokensFor(model),
                withSystemPrompt(c.systemPrompt(), c.history()));
        Generation g = new Generation(user, c.id(), new CompletionRequest(model, fit.messages()));
        g.leftOut(fit.leftOut());
        boolean reserved = reserve(g);
        // Sent upstream before the tabs are told: building their views is on the first token's path otherwise. A tab
        // subscribing later starts from the state so far, so it misses nothing.
        launch(g, reserved, done -> {
            c.finished(done, storeReply(c, parent, done, model));
            if (titlesByModel) askForTitle(c, user, model);
        });
        c.attach(entry, g);
        return g;
    }

    /** After a conversation's first reply: the model names it ({@code switchboard.titles.by-model}, {@link ModelTitles}). */
    private void askForTitle(Conversation c, String user, String model) {
        String asked = c.title();
        Generation g = ModelTitles.ask(c, user, model);
        if (g == null) return;
        launch(g, false, done -> ModelTitles.title(done)
                .filter(t -> c.title().equals(asked) && store.rename(user, c.id(), t)) // nobody renamed it meanwhile
                .ifPresent(c::retitled));
    }

    /**
     * Starts {@code g}: its usage row is written as running (unless its quota reservation wrote it), its progress
     * saved while it runs, and at its end {@code stored} runs and the row is completed before the last events go out.
     */
    private void launch(Generation g, boolean reserved, Consumer<Generation> stored) {
        running.add(g);
        if (!reserved) usage.running(g::progressRecord);
        metrics.generationStarted();
        g.start(router, done -> {
            running.remove(done);
            stored.accept(done);
            UsageRecord record = done.toUsageRecord();
            metrics.generationEnded(record, done.failovers());
            return usage.record(record);
        });
    }

    /**
     * Ends every running generation as interrupted, telling its clients {@code why}, and waits (at most {@code wait})
     * until their rows are stored and their last events sent.
     */
    public int interruptAll(String why, Duration wait) {
        List<Generation> now = List.copyOf(running);
        now.forEach(g -> g.interrupt(why));
        try {
            CompletableFuture.allOf(now.stream().map(Generation::ended).toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Not every interrupted generation ended within {}", wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return now.size();
    }

    /** Stores a finished reply, whoever still watches (the user may have logged out); the conversation may be gone. */
    private StoredMessage storeReply(Conversation c, Long parent, Generation done, String model) {
        Instant at = done.startedAt(); // the time a reply shows, live and after a reload: when it was asked for
        int leftOut = done.leftOutMessages();
        StoredMessage reply = StoredMessage.reply(0, parent, done.state(), model, at, leftOut);
        try {
            if (!c.deleted()) return StoredMessage.reply(store.add(c.id(), reply), parent, done.state(), model, at, leftOut);
        } catch (DataAccessException e) {
            log.warn("The reply of generation {} could not be stored: {}", done.id(), e.getMessage());
        }
        return StoredMessage.reply(-unstored.incrementAndGet(), parent, done.state(), model, at, leftOut);
    }

    private void checkText(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("The message is empty.");
        if (text.length() > props.maxMessageChars()) {
            throw new IllegalArgumentException("The message is longer than " + props.maxMessageChars() + " characters.");
        }
    }

    private static void checkOwner(Conversation c, String user) {
        if (!c.user().equals(user) || c.deleted()) throw new IllegalStateException("This conversation is not available.");
    }

    /**
     * A generation for the API: the caller's messages as given (a system prompt is added only if they have none).
     * Checks the user's rate and quota first (throws {@link LimitExceededException}) and does not start it, so the
     * caller can answer and subscribe before the first event can come; {@link #begin} starts it.
     */
    public Generation accept(String user, String model, List<ChatMessage> messages) {
        return accept(user, new CompletionRequest(model, messages), "api");
    }

    /**
     * As {@link #accept(String, String, List)}, with the caller's options passed upstream; {@code source} marks the
     * usage row ("api", "v1"). Throws IllegalArgumentException for a model outside {@code switchboard.models}.
     */
    public Generation accept(String user, CompletionRequest request, String source) {
        String model = resolveModel(request.model());
        limits.checkRate(user);
        checkQuota(user);
        Generation g = new Generation(user, null, new CompletionRequest(model, withSystemPrompt(request.messages()), request.options()), source);
        g.quotaReserved(reserve(g));
        return g;
    }

    /** Sends an accepted generation upstream; its usage is recorded. */
    public void begin(Generation g) {
        launch(g, g.quotaReserved(), done -> { });
    }

    /**
     * A tab that was waiting for {@code g}'s first token has shown it: the time since it came is the push delay
     * (a tab that opens the reply later is not asked).
     */
    public void firstTokenShown(Generation g) {
        long at = g.firstTokenNanos();
        if (at != 0) metrics.firstTokenShown(System.nanoTime() - at);
    }

    /** The user's daily token quota, counted in the metrics when it refuses. */
    private void checkQuota(String user) {
        try {
            limits.checkQuota(user);
        } catch (LimitExceededException e) {
            metrics.quotaRejected();
            throw e;
        }
    }

    /** {@link ChatLimits#reserve}, counted in the metrics when it refuses. */
    private boolean reserve(Generation g) {
        try {
            return limits.reserve(g);
        } catch (LimitExceededException e) {
            metrics.quotaRejected();
            throw e;
        }
    }

    private List<ChatMessage> withSystemPrompt(List<ChatMessage> messages) {
        return withSystemPrompt(null, messages);
    }

    /** Adds the conversation's own system prompt, else the global one, unless the messages have one. */
    private List<ChatMessage> withSystemPrompt(String own, List<ChatMessage> messages) {
        boolean hasSystem = messages.stream()
                .anyMatch(m -> m.role() == ChatMessage.Role.SYSTEM || m.role() == ChatMessage.Role.DEVELOPER);
        String prompt = own != null && !own.isBlank() ? own : props.systemPrompt();
        if (hasSystem || prompt == null || prompt.isBlank()) return messages;
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        out.add(ChatMessage.system(prompt));
        out.addAll(messages);
        return out;
    }
}
