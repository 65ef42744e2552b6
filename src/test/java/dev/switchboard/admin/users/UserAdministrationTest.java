package dev.switchboard.admin.users;

import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every admin action is checked, done and audited together; the last admin stays an enabled admin. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:useradmin-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class UserAdministrationTest {
    private static final String PASSWORD = "a-long-enough-pass";
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired UserAdministration admin;
    @Autowired UserAccounts accounts;
    @Autowired AuditLog audit;

    @Test
    void creatingAUserWritesAnAuditRowWithoutThePassword() {
        String name = unique("carol");
        UserAccount created = admin.create("admin", new NewUser(name, "Carol C", PASSWORD, Role.USER, 5000L));

        assertThat(created.displayName()).isEqualTo("Carol C");
        assertThat(created.dailyTokenQuota()).isEqualTo(5000L);
        assertThat(accounts.passwordMatches(name, PASSWORD)).isTrue();
        List<AuditLog.Entry> rows = rowsFor(name);
        assertThat(rows).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("admin");
            assertThat(e.action()).isEqualTo(AuditAction.USER_CREATED);
            assertThat(e.detail()).contains("role=USER").contains("5000").doesNotContain(PASSWORD);
            assertThat(e.at()).isNotNull();
        });
    }

    @Test
    void eachActionIsAuditedNewestFirst() {
        String name = user();
        admin.setEnabled("admin", name, false);
        admin.setEnabled("admin", name, true);
        admin.resetPassword("admin", name, "another-long-password");
        admin.setRole("admin", name, Role.ADMIN);
        admin.setDailyTokenQuota("admin", name, 1234L);
        admin.setDailyTokenQuota("admin", name, null);

        assertThat(rowsFor(name)).extracting(AuditLog.Entry::action).containsExactly(
                AuditAction.QUOTA_CHANGED, AuditAction.QUOTA_CHANGED, AuditAction.ROLE_CHANGED,
                AuditAction.PASSWORD_RESET, AuditAction.USER_ENABLED, AuditAction.USER_DISABLED, AuditAction.USER_CREATED);
        assertThat(rowsFor(name).get(0).detail()).isEqualTo("1234 → no limit");
        assertThat(rowsFor(name).get(2).detail()).isEqualTo("USER → ADMIN");
        assertThat(rowsFor(name).get(3).detail()).isNull(); // never the password
        assertThat(accounts.passwordMatches(name, "another-long-password")).isTrue();
        UserAccount now = accounts.findByUsername(name).orElseThrow();
        assertThat(now.role()).isEqualTo(Role.ADMIN);
        assertThat(now.dailyTokenQuota()).isNull();
    }

    @Test
    void aChangeToTheSameValueIsNotAudited() {
        String name = user();
        admin.setRole("admin", name, Role.USER);
        admin.setEnabled("admin", name, true);
        assertThat(rowsFor(name)).extracting(AuditLog.Entry::action).containsExactly(AuditAction.USER_CREATED);
    }

    @Test
    void theLastEnabledAdminCanBeNeitherDemotedNorDisabled() {
        String onlyAdmin = lastAdmin();
        assertThatThrownBy(() -> admin.setRole("someone", onlyAdmin, Role.USER))
                .isInstanceOfSatisfying(UserAdminException.class, e -> assertThat(e.kind()).isEqualTo(UserAdminException.Kind.CONFLICT))
                .hasMessageContaining("last enabled admin").hasMessageContaining("demoted");
        assertThatThrownBy(() -> admin.setEnabled("someone", onlyAdmin, false))
                .isInstanceOf(UserAdminException.class).hasMessageContaining("last enabled admin");
        UserAccount still = accounts.findByUsername(onlyAdmin).orElseThrow();
        assertThat(still.role()).isEqualTo(Role.ADMIN);
        assertThat(still.enabled()).isTrue();
        assertThat(rowsFor(onlyAdmin)).noneMatch(e -> e.action() == AuditAction.ROLE_CHANGED || e.action() == AuditAction.USER_DISABLED);
    }

    @Test
    void anAdminCanBeDemotedWhenAnotherEnabledAdminRemains() {
        String second = unique("second-admin");
        admin.create("admin", new NewUser(second, null, PASSWORD, Role.ADMIN, null));
        admin.setRole("admin", second, Role.USER);
        assertThat(accounts.findByUsername(second).orElseThrow().role()).isEqualTo(Role.USER);
    }

    @Test
    void anAdminCannotDisableTheirOwnAccount() {
        String second = unique("self-admin");
        admin.create("admin", new NewUser(second, null, PASSWORD, Role.ADMIN, null));
        assertThatThrownBy(() -> admin.setEnabled(second, second, false)).hasMessageContaining("your own account");
        assertThat(accounts.findByUsername(second).orElseThrow().enabled()).isTrue();
    }

    @Test
    void badPasswordsAreRefusedWithAClearMessage() {
        String name = unique("dave");
        assertThatThrownBy(() -> admin.create("admin", new NewUser(name, null, "short", Role.USER, null)))
                .isInstanceOfSatisfying(UserAdminException.class, e -> assertThat(e.kind()).isEqualTo(UserAdminException.Kind.INVALID))
                .hasMessage("The password must be at least 12 characters long.");
        assertThatThrownBy(() -> admin.create("admin", new NewUser(name + "-longer", null, name + "-longer", Role.USER, null)))
                .hasMessage("The password must not be the same as the username.");
        assertThat(accounts.findByUsername(name)).isEmpty();
        assertThat(rowsFor(name)).isEmpty();

        String existing = user();
        assertThatThrownBy(() -> admin.resetPassword("admin", existing, "eleven-char")).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> admin.resetPassword("admin", existing, "")).hasMessageContaining("must not be empty");
        assertThat(accounts.passwordMatches(existing, PASSWORD)).isTrue();
        assertThat(rowsFor(existing)).extracting(AuditLog.Entry::action).containsExactly(AuditAction.USER_CREATED);
    }

    @Test
    void severalChangesAreAllOrNothing() {
        String name = user();
        UserChanges changes = UserChanges.none().withRole(Role.ADMIN).withQuota(10L).withPassword("too-short");
        assertThatThrownBy(() -> admin.update("admin", name, changes)).hasMessageContaining("at least 12");
        UserAccount after = accounts.findByUsername(name).orElseThrow();
        assertThat(after.role()).isEqualTo(Role.USER);
        assertThat(after.dailyTokenQuota()).isNull();
        assertThat(rowsFor(name)).hasSize(1);
    }

    @Test
    void duplicateUnknownAndInvalidInputsAreRefused() {
        String name = user();
        assertThatThrownBy(() -> admin.create("admin", new NewUser(name.toUpperCase(), null, PASSWORD, Role.USER, null)))
                .isInstanceOfSatisfying(UserAdminException.class, e -> assertThat(e.kind()).isEqualTo(UserAdminException.Kind.CONFLICT))
                .hasMessageContaining("already taken");
        assertThatThrownBy(() -> admin.setRole("admin", "no-such-user", Role.ADMIN))
                .isInstanceOfSatisfying(UserAdminException.class, e -> assertThat(e.kind()).isEqualTo(UserAdminException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> admin.setDailyTokenQuota("admin", name, -1L)).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> admin.create("admin", new NewUser("bad name!", null, PASSWORD, Role.USER, null)))
                .hasMessageContaining("A username has 1 to 64 characters");
        assertThatThrownBy(() -> admin.create("admin", new NewUser(unique("x"), null, PASSWORD, null, null)))
                .hasMessageContaining("Choose a role");
        assertThatThrownBy(() -> admin.create("admin", new NewUser(unique("y"), "x".repeat(129), PASSWORD, Role.USER, null)))
                .hasMessageContaining("at most 128");
    }

    private String user() {
        String name = unique("user");
        admin.create("admin", new NewUser(name, null, PASSWORD, Role.USER, null));
        return name;
    }

    /** Leaves exactly one enabled admin (other tests may have created more) and returns it. */
    private String lastAdmin() {
        accounts.list().stream().filter(u -> u.isAdmin() && u.enabled() && !u.username().equals("admin"))
                .forEach(u -> accounts.setRole(u.username(), Role.USER));
        return "admin";
    }

    private List<AuditLog.Entry> rowsFor(String target) {
        return audit.latest(1000).stream().filter(e -> target.equals(e.target())).toList();
    }

    private static String unique(String base) {
        return base + "-" + SEQ.incrementAndGet();
    }
}
