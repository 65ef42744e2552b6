package dev.switchboard.chat;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.usage.UsageRecorder;
import dev.switchboard.llm.StreamEvent;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs generations: for a conversation of the UI, or for a message list of the API. */
@Service
public class ChatService {
    private final UpstreamRouter router;
    private final UsageRecorder usage;
    private final SwitchboardProperties props;
    private final ChatLimits limits;
    private final TaskScheduler timers;

    public ChatService(UpstreamRouter router, UsageRecorder usage, SwitchboardProperties props, ChatLimits limits,
                       TaskScheduler timers) {
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

    /** Adds the user's message to the conversation and starts the reply. */
    public Generation send(Conversation conversation, String user, String model, String text) {
        String m = resolveModel(model);
        if (text == null || text.isBlank()) throw new IllegalArgumentException("The message is empty.");
        if (text.length() > props.maxMessageChars()) {
            throw new IllegalArgumentException("The message is longer than " + props.maxMessageChars() + " characters.");
        }
        limits.checkQuota(user);
        Conversation.Entry entry = Conversation.Entry.user(text);
        List<ChatMessage> history = conversation.addUserMessage(entry);
        return run(conversation, entry, user, m, history);
    }

    /** Asks the last turn again, replacing a failed, interrupted or stopped reply. */
    public Generation retry(Conversation conversation, String user, String model) {
        String m = resolveModel(model);
        limits.checkQuota(user);
        return run(conversation, null, user, m, conversation.prepareRetry());
    }

    private Generation run(Conversation c, Conversation.Entry entry, String user, String model, List<ChatMessage> history) {
        Generation g = new Generation(user, c.id(), new CompletionRequest(model, withSystemPrompt(history)));
        // Sent upstream before the tabs are told: building their views is on the first token's path otherwise. A tab
        // subscribing later starts from the state so far, so it misses nothing.
        g.start(router, done -> {
            c.finished(done);
            usage.record(done.toUsageRecord());
        });
        c.attach(entry, g);
        return g;
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
        limits.checkQuota(user);
        return new Generation(user, null, new CompletionRequest(model, withSystemPrompt(request.messages()), request.options()), source);
    }

    /** Sends an accepted generation upstream; its usage is recorded. */
    public void begin(Generation g) {
        g.start(router, done -> usage.record(done.toUsageRecord()));
    }

    private List<ChatMessage> withSystemPrompt(List<ChatMessage> messages) {
        boolean hasSystem = messages.stream()
                .anyMatch(m -> m.role() == ChatMessage.Role.SYSTEM || m.role() == ChatMessage.Role.DEVELOPER);
        String prompt = props.systemPrompt();
        if (hasSystem || prompt == null || prompt.isBlank()) return messages;
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        out.add(ChatMessage.system(prompt));
        out.addAll(messages);
        return out;
    }
}
