package dev.switchboard.account.ui;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.NotificationsKt;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextField;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import dev.switchboard.chat.ConversationFixtures;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.ConversationStore;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

/** Karibu: a user changes their own password (the current one is checked) and manages their API tokens. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:account-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1",
        "switchboard.security.login.max-failures=3"})
@DirtiesContext
class AccountViewTest {
    private static final String PASSWORD = "hanna-password-1";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Routes routes;

    @Autowired ApplicationContext ctx;
    @Autowired UserAccounts accounts;
    @Autowired ApiTokens tokens;
    @Autowired ConversationStore store;
    @Autowired ConversationHistory history;

    @BeforeAll
    static void routes() {
        routes = Karibu.routes(AccountView.class);
    }

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void aUserChangesTheirPasswordAfterGivingTheCurrentOne() {
        String name = user();
        AccountView view = open(name);

        fill(view, "not-my-password", "brand-new-password", "brand-new-password");
        assertThat(view.current.isInvalid()).isTrue();
        assertThat(view.current.getErrorMessage()).isEqualTo("The current password is not correct.");
        assertThat(notices()).contains("The current password is not correct.");

        fill(view, PASSWORD, "short", "short");
        assertThat(view.next.getErrorMessage()).isEqualTo("The password must be at least 12 characters long.");

        fill(view, PASSWORD, "brand-new-password", "brand-new-passwort");
        assertThat(view.repeat.getErrorMessage()).isEqualTo("The two new passwords do not match.");

        fill(view, PASSWORD, name, name);
        assertThat(view.next.getErrorMessage()).isEqualTo("The password must not be the same as the username.");
        assertThat(accounts.passwordMatches(name, PASSWORD)).as("nothing changed yet").isTrue();

        NotificationsKt.clearNotifications();
        fill(view, PASSWORD, "brand-new-password", "brand-new-password");
        assertThat(notices()).containsExactly("Your password was changed.");
        assertThat(view.current.getValue()).isEmpty();
        assertThat(accounts.passwordMatches(name, "brand-new-password")).isTrue();
        assertThat(accounts.passwordMatches(name, PASSWORD)).isFalse();
    }

    @Test
    void guessingTheCurrentPasswordIsThrottledLikeTheLogin() {
        String name = user();
        AccountView view = open(name);
        for (int i = 0; i < 3; i++) fill(view, "guess-" + i, "brand-new-password", "brand-new-password");
        fill(view, PASSWORD, "brand-new-password", "brand-new-password");
        assertThat(view.current.getErrorMessage()).startsWith("Too many wrong passwords. Try again in");
        assertThat(accounts.passwordMatches(name, PASSWORD)).isTrue();
    }

    @Test
    void aTokenIsShownOnceListedAndRevoked() {
        String name = user();
        AccountView view = open(name);
        AccountTokens section = _get(AccountTokens.class);
        _setValue(section.name, "laptop script");
        _click(_get(Button.class, s -> s.withText("Create token")));

        Dialog dialog = _get(Dialog.class);
        String token = _get(dialog, TextField.class, s -> s.withLabel("Token")).getValue();
        assertThat(token).startsWith(ApiTokens.PREFIX).hasSizeGreaterThan(40);
        assertThat(dialog.getElement().getTextRecursively()).contains("shown only this once");
        List<ApiTokens.TokenInfo> listed = tokens.list(name);
        assertThat(listed).extracting(ApiTokens.TokenInfo::name).containsExactly("laptop script");

        _click(_get(Button.class, s -> s.withText("I have copied it")));
        _assertNone(Dialog.class);
        assertThat(UI.getCurrent().getElement().getOuterHTML()).doesNotContain(token);
        assertThat(GridKt._getFormattedRow(section.grid, 0)).startsWith("laptop script").contains("never");

        _click((Button) GridKt._getCellComponent(section.grid, 0, "revoke"));
        _click(_get(_get(Dialog.class), Button.class, s -> s.withText("Revoke")));
        assertThat(tokens.list(name)).isEmpty();
        assertThat(GridKt._size(section.grid.getDataProvider(), null)).isZero();
        assertThat(view.isAttached()).isTrue();
    }

    @Test
    void aTooLongTokenNameGetsAClearMessage() {
        open(user());
        AccountTokens section = _get(AccountTokens.class);
        section.name.setMaxLength(1000); // the browser would stop at 100; the server must still refuse
        _setValue(section.name, "n".repeat(101));
        _click(_get(Button.class, s -> s.withText("Create token")));
        assertThat(notices()).contains("A token name has at most 100 characters.");
        _assertNone(Dialog.class);
    }

    @Test
    void aUserDeletesAllTheirConversationsAfterConfirmingAndOthersKeepTheirs() {
        String name = user(), other = user();
        ConversationFixtures fixtures = new ConversationFixtures(store);
        fixtures.conversation(name, "One", Instant.now(), "a");
        fixtures.conversation(name, "Two", Instant.now(), "b", "c");
        fixtures.conversation(other, "Someone else's", Instant.now(), "d");
        open(name);

        _click(_get(Button.class, spec -> spec.withText("Delete all my conversations")));
        assertThat(history.page(name, "", 0, 10)).as("nothing before the confirmation").hasSize(2);
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));

        assertThat(history.page(name, "", 0, 10)).isEmpty();
        assertThat(history.page(other, "", 0, 10)).hasSize(1);
        NotificationsKt.expectNotifications("2 conversations were deleted.");
    }

    private AccountView open(String name) {
        Karibu.setUpLoggedIn(ctx, routes, name, "USER");
        UI.getCurrent().navigate("account");
        return _get(AccountView.class);
    }

    private static void fill(AccountView view, String current, String next, String repeat) {
        _setValue(view.current, current);
        _setValue(view.next, next);
        _setValue(view.repeat, repeat);
        _click(_get(Button.class, s -> s.withText("Change password")));
    }

    private String user() {
        String name = "hanna-account-" + SEQ.incrementAndGet(); // long enough to be tried as a password
        accounts.create(name, PASSWORD, Role.USER);
        return name;
    }

    private static List<String> notices() {
        return NotificationsKt.getNotifications().stream().map(AccountViewTest::text).toList();
    }

    private static String text(Notification n) {
        String text = n.getElement().getProperty("text");
        return text != null ? text : n.getElement().getTextRecursively();
    }
}
