package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static org.assertj.core.api.Assertions.assertThat;

/** The chat is for logged-in users only: an anonymous visitor lands on the login view, without the app frame. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:ui-anon-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class AnonymousUserIsSentToLoginTest {
    @Autowired
    ApplicationContext ctx;

    @BeforeEach
    void anonymous() {
        Karibu.setUpAnonymous(ctx, Karibu.routes(ChatView.class, LoginViews.loginView()));
    }

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void anonymousUserOpeningTheChatIsRedirectedToLogin() {
        UI.getCurrent().navigate("");
        Object view = UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0);
        assertThat(view).isInstanceOf(LoginViews.loginView());
        _assertNone(ChatView.class);
        _assertNone(dev.switchboard.ui.MainLayout.class);
    }
}
