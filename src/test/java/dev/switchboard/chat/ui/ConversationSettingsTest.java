package dev.switchboard.chat.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.ui.LightButton;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per conversation: the model and an optional system prompt are remembered (the global prompt is the default); a
 * conversation longer than the model's context window is sent without its oldest turns, and the reply says so.
 */
@TestPropertySource(properties = {
        "switchboard.models=gpt-5.5,small-model",
        "switchboard.context-tokens[gpt-5.5]=300"})
class ConversationSettingsTest extends ChatUiTestBase {

    @Test
    void theOldestTurnsAreLeftOutToFitTheContextWindowAndTheReplySaysSo() {
        // The upstream refuses prompts over 400 tokens with a 400, as OpenAI does: it must never see one.
        upstream.setBehavior(Behavior.fast().withReplyTokens(20).withContextWindow(400));
        String longer = "word ".repeat(120);
        send("First " + longer);
        ReplyView first = awaitEnd(lastReply());
        assertThat(first.state().status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(_find(first, com.vaadin.flow.component.html.Span.class, s -> s.withClasses("sb-context-note")))
                .as("no note while everything fits (Karibu finds only shown components)").isEmpty();

        send("Second " + longer);
        ReplyView second = awaitEnd(lastReply());
        assertThat(second.state().status()).as("no 400 from the upstream").isEqualTo(GenerationStatus.COMPLETED);
        assertThat(_get(second, com.vaadin.flow.component.html.Span.class, s -> s.withClasses("sb-context-note")).getText())
                .isEqualTo("The 2 oldest messages were left out to fit the model's context window.");
        assertThat(sent()).as("the system prompt kept, the first turn left out")
                .containsExactly("system: You are a helpful assistant.", "user: Second " + longer.strip());
        assertThat(userMessages(UI.getCurrent())).as("the conversation itself keeps every message").hasSize(2);

        UI.getCurrent().getPage().reload(); // the stored reply says so too
        assertThat(_get(lastReply(), com.vaadin.flow.component.html.Span.class, s -> s.withClasses("sb-context-note")).getText())
                .isEqualTo("The 2 oldest messages were left out to fit the model's context window.");
    }

    @Test
    void modelAndSystemPromptAreRememberedPerConversation() {
        Select<?> model = _get(Select.class);
        @SuppressWarnings("unchecked") Select<String> picker = (Select<String>) model;
        _setValue(picker, "small-model");
        send("Be a pirate");
        awaitEnd(lastReply());
        assertThat(upstream.lastRequest().get("model").asText()).isEqualTo("small-model");
        assertThat(sent().get(0)).as("the global prompt by default").isEqualTo("system: You are a helpful assistant.");

        click(lightButton(UI.getCurrent(), "System prompt"));
        _setValue(_get(TextArea.class, s -> s.withClasses("sb-system-prompt-text")), "Talk like a pirate.");
        click(_get(LightButton.class, s -> s.withText("Save")));
        send("Hello again");
        awaitEnd(lastReply());
        assertThat(sent().get(0)).isEqualTo("system: Talk like a pirate.");

        click(_get(LightButton.class, s -> s.withClasses("sb-new-chat")));
        assertThat(picker.getValue()).isEqualTo("small-model"); // the picker stays as it was for a new chat
        _setValue(picker, "gpt-5.5");
        UI.getCurrent().getPage().reload();
        click(_get(LightButton.class, s -> s.withClasses("sb-conversation").withText("Be a pirate")));
        assertThat(_get(Select.class).getValue()).as("the conversation's model").isEqualTo("small-model");
        send("Still a pirate?");
        awaitEnd(lastReply());
        assertThat(sent().get(0)).isEqualTo("system: Talk like a pirate.");
        assertThat(upstream.lastRequest().get("model").asText()).isEqualTo("small-model");
    }

    /** The messages of the upstream's last request as "role: content". */
    private static List<String> sent() {
        List<String> out = new ArrayList<>();
        for (JsonNode m : upstream.lastRequest().get("messages")) out.add(m.get("role").asText() + ": " + m.get("content").asText().strip());
        return out;
    }
}
