package dev.switchboard.llm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    @Test
    void masksTheConfiguredKeyBearerCredentialsAndKeyLikeWords() {
        String said = "Incorrect API key provided: Bearer sk-proj-AbC123xyz789. Also my-own-key-42 and sk-other_99999999";
        String masked = Secrets.mask(said, "my-own-key-42");
        assertThat(masked).doesNotContain("AbC123xyz789", "my-own-key-42", "other_99999999")
                .isEqualTo("Incorrect API key provided: Bearer *** Also *** and ***");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertThat(Secrets.mask("The model 'gpt-x' does not exist", "k")).isEqualTo("The model 'gpt-x' does not exist");
        assertThat(Secrets.mask(null, "key")).isNull();
    }
}
