package dev.switchboard.users;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {

    @Test
    void acceptsTwelveCharactersThatAreNotTheUsername() {
        assertThatCode(() -> PasswordPolicy.check("alice", "twelve-chars")).doesNotThrowAnyException();
    }

    @Test
    void refusesShortPasswordsWithAClearMessage() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "elevenchars"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The password must be at least 12 characters long.");
        assertThatThrownBy(() -> PasswordPolicy.check("alice", null)).isInstanceOf(InvalidPasswordException.class);
    }

    @Test
    void refusesThePasswordEqualToTheUsername() {
        assertThatThrownBy(() -> PasswordPolicy.check("administrator", "Administrator"))
                .isInstanceOf(InvalidPasswordException.class)
                .hasMessage("The password must not be the same as the username.");
    }

    @Test
    void refusesWhatBcryptWouldTruncate() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "x".repeat(73)))
                .isInstanceOf(InvalidPasswordException.class)
                .hasMessageContaining("72");
    }
}
