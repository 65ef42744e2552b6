package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.chat.ConversationFixtures;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.ConversationStore;
import dev.switchboard.ui.LightButton;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.BasicUtilsKt._blur;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt._fireConfirm;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

/** The sidebar lists the stored conversations: grouped by day, pinned first, searchable, a page at a time. */
class ConversationSidebarTest extends ChatUiTestBase {

    private ConversationFixtures fixtures() {
        return new ConversationFixtures(ctx.getBean(ConversationStore.class));
    }

    @Test
    void conversationsAreGroupedTodayYesterdayPreviousSevenDaysOlderWithPinnedFirst() {
        Instant now = Instant.now();
        ConversationFixtures f = fixtures();
        f.conversation(USER, "Long ago", now.minus(Duration.ofDays(40)), "a");
        f.conversation(USER, "Last week", now.minus(Duration.ofDays(4)), "b");
        f.conversation(USER, "Yesterday's", now.minus(Duration.ofDays(1)), "c");
        String pinned = f.conversation(USER, "Pinned one", now.minus(Duration.ofDays(90)), "d");
        f.conversation(USER, "Just now", now, "e");
        f.conversation("bob", "Not alice's", now, "f");
        ctx.getBean(ConversationHistory.class).pin(USER, pinned, true);

        UI.getCurrent().getPage().reload();

        assertThat(headings()).containsExactly("Pinned", "Today", "Yesterday", "Previous 7 days", "Older");
        assertThat(titles()).containsExactly("New chat", "Pinned one", "Just now", "Yesterday's", "Last week", "Long ago");
    }

    @Test
    void searchFindsTitlesAndMessageText() {
        ConversationFixtures f = fixtures();
        f.conversation(USER, "Holidays", Instant.now(), "Where should we go in May?");
        f.conversation(USER, "Kitchen", Instant.now(), "How long do I boil an egg?");
        UI.getCurrent().getPage().reload();

        _setValue(search(), "EGG");
        assertThat(titles()).containsExactly("Kitchen");
        _setValue(search(), "holi");
        assertThat(titles()).containsExactly("Holidays");
        _setValue(search(), "zebra");
        assertThat(titles()).isEmpty();
        assertThat(_get(Span.class, spec -> spec.withClasses("sb-list-empty")).getText()).contains("No conversation");
        _setValue(search(), "");
        assertThat(titles()).containsExactly("New chat", "Kitchen", "Holidays");
    }

    @Test
    void thousandsOfConversationsAreListedAPageAtATime() {
        ConversationFixtures f = fixtures();
        Instant start = Instant.now().minus(Duration.ofHours(2));
        for (int i = 0; i < 2_000; i++) f.conversation(USER, "Chat " + i, start.plusSeconds(i), "q" + i);
        long t0 = System.nanoTime();
        UI.getCurrent().getPage().reload();
        long openMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[measure] chat view with 2,000 stored conversations opened in " + openMillis + " ms");

        assertThat(titles()).hasSize(1 + ConversationList.PAGE).startsWith("New chat", "Chat 1999", "Chat 1998");
        click(_get(LightButton.class, spec -> spec.withClasses("sb-show-more")));
        assertThat(titles()).hasSize(1 + 2 * ConversationList.PAGE).endsWith("Chat " + (2_000 - 2 * ConversationList.PAGE));
    }

    @Test
    void renameInPlacePinAndDeleteAfterConfirmation() {
        send("Plan a *trip* to `Rome`");
        awaitEnd(lastReply());
        assertThat(titles()).as("the title is plain text").containsExactly("Plan a trip to Rome");

        click(lightButton(UI.getCurrent(), "Rename"));
        TextField field = _get(TextField.class, spec -> spec.withClasses("sb-rename"));
        assertThat(field.getValue()).isEqualTo("Plan a trip to Rome");
        _setValue(field, "Rome in spring");
        _blur(field);
        assertThat(titles()).containsExactly("Rome in spring");
        assertThat(_get(com.vaadin.flow.component.html.H2.class, spec -> spec.withClasses("sb-title")).getText()).isEqualTo("Rome in spring");

        fixtures().conversation(USER, "Newer", Instant.now().plusSeconds(5), "x");
        click(lightButton(UI.getCurrent(), "Pin"));
        assertThat(titles()).as("pinned first").containsExactly("Rome in spring", "Newer");
        assertThat(lightButton(UI.getCurrent(), "Unpin").isVisible()).isTrue();

        click(lightButton(UI.getCurrent(), "Delete"));
        ConfirmDialog confirm = _get(ConfirmDialog.class);
        assertThat(titles()).as("nothing deleted before the confirmation").contains("Rome in spring");
        _fireConfirm(confirm);
        assertThat(titles()).containsExactly("New chat", "Newer");
        assertThat(ctx.getBean(ConversationHistory.class).page(USER, "rome", 0, 10)).isEmpty();
        assertThat(userMessages(UI.getCurrent())).isEmpty();
    }

    @Test
    void anotherUsersOrADeletedConversationShowsNotFoundAndNothingOfIt() {
        String bobs = fixtures().conversation("bob", "Bob's secret", Instant.now(), "classified words");
        UI.getCurrent().navigate("c/" + bobs);
        assertThat(_get(com.vaadin.flow.component.html.Div.class, spec -> spec.withClasses("sb-not-found")).getElement().getTextRecursively())
                .contains("not found");
        assertThat(userMessages(UI.getCurrent())).isEmpty();
        assertThat(titles()).doesNotContain("Bob's secret");

        UI.getCurrent().navigate("c/not-a-conversation");
        assertThat(_find(com.vaadin.flow.component.html.Div.class, spec -> spec.withClasses("sb-not-found"))).hasSize(1);
    }

    private static List<String> titles() {
        return _find(LightButton.class, spec -> spec.withClasses("sb-conversation")).stream().map(LightButton::getText).toList();
    }

    @Test
    void theDaysAreTheUsersOnceTheBrowserToldItsTimeZone() {
        java.time.Clock tenUtc = java.time.Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), java.time.ZoneOffset.UTC);
        var summary = new dev.switchboard.chat.ConversationSummary("c1", "Early this morning", false, "gpt-5.5",
                Instant.parse("2026-12-07T02:00:00Z"), Instant.parse("2026-12-07T02:00:00Z"));
        ConversationList list = new ConversationList(new ConversationList.Source() {
            @Override public List<dev.switchboard.chat.ConversationSummary> page(String q, int offset, int limit) {
                return offset == 0 ? List.of(summary) : List.of();
            }
            @Override public List<dev.switchboard.chat.Conversation> drafts() { return List.of(); }
            @Override public boolean running(String id) { return false; }
        }, id -> { }, () -> { }, tenUtc);
        UI.getCurrent().removeAll();
        UI.getCurrent().add(list);
        list.refresh(null);
        assertThat(headings()).containsExactly("Today"); // 02:00 and 10:00 UTC: one day

        list.useTimeZone(java.time.ZoneId.of("Pacific/Honolulu")); // 16:00 on the 6th, and midnight on the 7th
        assertThat(headings()).containsExactly("Yesterday");
    }

    private static List<String> headings() {
        return _find(Span.class, spec -> spec.withClasses("sb-list-heading")).stream().map(Span::getText).toList();
    }

    private static TextField search() {
        return _get(TextField.class, spec -> spec.withClasses("sb-search"));
    }
}
