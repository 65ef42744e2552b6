package dev.switchboard.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortcut serves a request only for a valid bearer token, as the /api chain would have: the caller known, the
 * authentication in the security context while the handler runs (and gone after), the chain's headers on commit.
 */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:shortcut-${random.uuid};DB_CLOSE_DELAY=-1")
class BearerShortcutTest {

    @Autowired BearerShortcut shortcut;
    @Autowired ApiTokens tokens;
    @Autowired UserAccounts accounts;

    private final List<String> served = new ArrayList<>();
    private Authentication seen;

    private void handler(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                         String username) throws java.io.IOException {
        served.add(username);
        seen = SecurityContextHolder.getContext().getAuthentication();
        response.setContentType("text/event-stream");
        response.flushBuffer();
    }

    private boolean serve(String authorization, MockHttpServletResponse response) throws Exception {
        var request = new MockHttpServletRequest("POST", "/api/chat");
        if (authorization != null) request.addHeader("Authorization", authorization);
        return shortcut.serve(request, response, this::handler);
    }

    @Test
    void aValidTokenIsServedAsItsOwnerWithTheChainsHeaders() throws Exception {
        accounts.create("sally", "sally-password-1", Role.USER);
        String token = tokens.create("sally", "shortcut").token();
        var response = new MockHttpServletResponse();

        assertThat(serve("Bearer " + token, response)).isTrue();
        assertThat(served).containsExactly("sally");
        assertThat(seen).isInstanceOf(ApiTokenAuthentication.class);
        assertThat(seen.getName()).isEqualTo("sally");
        assertThat(SecurityContextHolder.getContext().getAuthentication()).as("cleared after").isNull();
        assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("Content-Security-Policy")).isEqualTo(SecurityConfig.API_CSP);
    }

    @Test
    void everyOtherRequestIsLeftUntouchedForTheChain() throws Exception {
        accounts.create("dave", "dave-password-12", Role.USER);
        ApiTokens.CreatedToken old = tokens.create("dave", "old");
        tokens.revoke("dave", old.id());
        String revoked = old.token();
        String disabled = tokens.create("dave", "disabled").token();
        accounts.setEnabled("dave", false);

        for (String authorization : new String[] {null, "Basic ZGF2ZTpkYXZlLXBhc3N3b3JkLTEy", "Bearer sb_unknown",
                "Bearer " + revoked, "Bearer " + disabled, "Bearer "}) {
            var response = new MockHttpServletResponse();
            assertThat(serve(authorization, response)).as(String.valueOf(authorization)).isFalse();
            assertThat(response.getHeaderNames()).as("nothing written").isEmpty();
            assertThat(response.isCommitted()).isFalse();
        }
        assertThat(served).isEmpty();
    }
}
