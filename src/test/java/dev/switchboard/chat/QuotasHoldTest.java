package dev.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily quotas hold: a chat holds its expected tokens from its start, so neither chats one after another nor 20 at
 * once get past the quota by more than one chat's tokens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.admin-password=quota-admin-password",
        "spring.datasource.url=jdbc:h2:mem:quotas-${random.uuid};DB_CLOSE_DELAY=-1"})
class QuotasHoldTest {
    /** One per test class: a subclass runs these tests on PostgreSQL with its own. */
    static OfflineModelServer upstream;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    private static final String PASSWORD = "quota-user-password";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @BeforeAll
    static void start() { upstream = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(20)); }

    @AfterAll
    static void stop() { upstream.close(); }

    @LocalServerPort int port;
    @Autowired UserAccounts users;
    @Autowired ChatLimits limits;
    private final HttpClient http = HttpClient.newHttpClient();

    private CompletableFuture<HttpResponse<String>> chat(String user) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The tokens a served chat used, from its usage event. */
    private static long tokens(HttpResponse<String> r) throws Exception {
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("data: {\"usage\"")) continue;
            JsonNode u = JSON.readTree(line.substring(6)).get("usage");
            return u.get("prompt_tokens").asLong() + u.get("completion_tokens").asLong();
        }
        throw new AssertionError("no usage event: " + r.body());
    }

    private long perChat() throws Exception {
        String name = "measure-" + System.nanoTime();
        users.create(name, PASSWORD, Role.USER);
        return tokens(chat(name).get());
    }

    @Test
    void chatsOneAfterAnotherStopAtTheQuota() throws Exception {
        long perChat = perChat();
        long quota = perChat * 2 - perChat / 3; // two chats reach it: the third must be refused
        users.create("sequential", PASSWORD, Role.USER);
        users.setDailyTokenQuota("sequential", quota);

        int served = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = chat("sequential").get();
            if (r.statusCode() == 200) {
                served++;
            } else {
                refused = r;
                break;
            }
        }
        System.out.printf("Quota %d, %d tokens a chat: %d served one after another%n", quota, perChat, served);
        assertThat(served).isEqualTo(2);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(refused.body()).at("/error/message").asText())
                .contains("(" + 2 * perChat + " of " + quota + " tokens used)");
        assertThat(limits.tokensToday("sequential")).isEqualTo(2 * perChat);
    }

    @Test
    void twentyChatsAtOnceOverrunTheQuotaByAtMostOneChat() throws Exception {
        long perChat = perChat();
        long quota = perChat * 3;
        users.create("concurrent", PASSWORD, Role.USER);
        users.setDailyTokenQuota("concurrent", quota);

        long used = 0;
        int served = 0;
        for (int round = 0; round < 5; round++) {
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) burst.add(chat("concurrent"));
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    used += tokens(r);
                    served++;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                    assertThat(r.body()).contains("quota_exceeded");
                }
            }
        }
        System.out.printf("Quota %d, %d tokens a chat: %d of 100 served in bursts of 20, %d tokens used%n",
                quota, perChat, served, used);
        assertThat(served).isGreaterThanOrEqualTo(1);
        assertThat(used).isLessThanOrEqualTo(quota + perChat).isEqualTo(limits.tokensToday("concurrent"));
    }
}
