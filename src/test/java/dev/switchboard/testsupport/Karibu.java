package dev.switchboard.testsupport;

import com.github.mvysny.fakeservlet.FakeRequest;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Karibu with Spring, logged in or not, and waiting for what background threads push through ui.access. */
public final class Karibu {
    private Karibu() {}

    /**
     * Routes of the app plus the given package-private views (Karibu's scan sees public classes only).
     */
    @SafeVarargs
    public static Routes routes(Class<? extends Component>... views) {
        Routes routes = new Routes().autoDiscoverViews("dev.switchboard");
        routes.getRoutes().addAll(Set.of(views));
        return routes;
    }

    /** A mock session whose requests carry {@code user} with {@code roles} (e.g. "USER", "ADMIN"). */
    public static void setUpLoggedIn(ApplicationContext ctx, Routes routes, String user, String... roles) {
        List<SimpleGrantedAuthority> authorities = Arrays.stream(roles).map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
        var auth = new UsernamePasswordAuthenticationToken(new User(user, "n/a", authorities), null, authorities);
        SecurityContextHolder.getContext().setAuthentication(auth);
        MockVaadin.setMockRequestFactory(session -> {
            FakeRequest request = new FakeRequest(session);
            request.setUserPrincipalInt(auth);
            request.setUserInRole((principal, role) -> Arrays.asList(roles).contains(role));
            return request;
        });
        MockVaadin.setup(UI::new, new MockSpringServlet(routes, ctx, UI::new));
    }

    public static void setUpAnonymous(ApplicationContext ctx, Routes routes) {
        SecurityContextHolder.clearContext();
        MockVaadin.setMockRequestFactory(FakeRequest::new);
        MockVaadin.setup(UI::new, new MockSpringServlet(routes, ctx, UI::new));
    }

    public static void tearDown() {
        MockVaadin.tearDown();
        MockVaadin.setMockRequestFactory(FakeRequest::new);
        SecurityContextHolder.clearContext();
    }

    /** Opens another tab (UI) of the same session at "" and makes it current, as a second browser tab would. */
    public static UI openSecondTab() {
        MockVaadin.INSTANCE.createUI$karibu_testing_v10(UI::new, VaadinSession.getCurrent());
        return UI.getCurrent();
    }

    /** Runs queued ui.access tasks until {@code condition} holds; fails after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            MockVaadin.runUIQueue();
            if (condition.getAsBoolean()) return;
            if (System.nanoTime() > end) throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            sleep(5);
        }
    }

    public static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    /** Like {@link #await} for a value that must become non-null. */
    public static <T> T awaitValue(String what, Supplier<T> value) {
        Object[] box = new Object[1];
        await(what, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked") T t = (T) box[0];
        return t;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
