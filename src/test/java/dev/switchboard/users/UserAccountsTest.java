package dev.switchboard.users;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class UserAccountsTest {

    @Autowired
    UserAccounts accounts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    @Test
    void createsUsersWithBcryptHashesAndFindsThemCaseInsensitively() {
        UserAccount created = accounts.create("Alice", "Alice display", "alice-password-1", Role.USER);
        assertThat(created.role()).isEqualTo(Role.USER);
        assertThat(created.enabled()).isTrue();
        assertThat(accounts.findByUsername("alice")).contains(created);
        assertThat(accounts.list()).extracting(UserAccount::username).contains("admin", "Alice");

        String hash = jdbc.sql("SELECT password_hash FROM users WHERE username = 'Alice'").query(String.class).single();
        assertThat(hash).startsWith("$2").doesNotContain("alice-password-1");
        assertThat(encoder.matches("alice-password-1", hash)).isTrue();
    }

    @Test
    void usernamesAreUniqueIgnoringCase() {
        accounts.create("bob", "bob-password-12", Role.USER);
        assertThatThrownBy(() -> accounts.create("BOB", "bob-password-12", Role.USER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already taken");
        // The database enforces it too, for writers that bypass this class.
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO users (username, password_hash, role) VALUES ('Bob', 'x', 'USER')")
                .update()).isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
    }

    @Test
    void enforcesPasswordRulesOnCreateAndChange() {
        assertThatThrownBy(() -> accounts.create("carol", "short", Role.USER))
                .isInstanceOf(InvalidPasswordException.class).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> accounts.create("carol-the-user", "carol-the-user", Role.USER))
                .isInstanceOf(InvalidPasswordException.class).hasMessageContaining("username");
        accounts.create("carol", "carol-password-1", Role.USER);
        assertThatThrownBy(() -> accounts.changePassword("carol", "tooshort"))
                .isInstanceOf(IllegalArgumentException.class);

        accounts.changePassword("carol", "carol-password-2");
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE username = 'carol'").query(String.class).single();
        assertThat(encoder.matches("carol-password-2", hash)).isTrue();
    }

    @Test
    void refusesBadUsernamesAndKeepsOneEnabledAdmin() {
        assertThatThrownBy(() -> accounts.create("has space", "some-password-1", Role.USER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.setEnabled("admin", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last enabled admin");
        assertThatThrownBy(() -> accounts.setRole("admin", Role.USER))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
