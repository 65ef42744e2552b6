package dev.switchboard.chat.api;

import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.security.ApiTokens;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/chat} with a valid bearer token is answered before the filter chain, and answered as the chain
 * answers it: the same headers, the same refusals. Everything else on the path still goes down the chain.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ChatApiFastLaneTest.ChainProbe.class)
class ChatApiFastLaneTest {
    static final OfflineModelServer upstream = MockUpstreamApp.fastServer();
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstreamApp.register(r, upstream, "fast-lane");
    }

    @AfterAll
    static void stop() { upstream.close(); }

    /** Counts the requests to /api/chat that reach the filters behind the fast lane. */
    @TestConfiguration
    static class ChainProbe {
        static final AtomicInteger PAST_THE_FAST_LANE = new AtomicInteger();

        @Bean
        FilterRegistrationBean<Filter> chainProbe() {
            var r = new FilterRegistrationBean<Filter>((req, res, chain) -> {
                if (((HttpServletRequest) req).getRequestURI().startsWith("/api/chat")) PAST_THE_FAST_LANE.incrementAndGet();
                chain.doFilter(req, res);
            });
            r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return r;
        }
    }

    @LocalServerPort int port;
    @Autowired ApiTokens tokens;
    ApiClient basic;
    ApiClient bearer;

    @BeforeEach
    void setUp() {
        basic = new ApiClient(port, "admin", MockUpstreamApp.ADMIN_PASSWORD);
        bearer = ApiClient.withToken(port, tokens.create("admin", "fast lane").token());
    }

    @Test
    void aValidBearerTokenIsStreamedWithoutTheChainAndWithTheChainsHeaders() throws Exception {
        int before = ChainProbe.PAST_THE_FAST_LANE.get();
        HttpResponse<String> fast = bearer.post("/api/chat", CHAT);
        assertThat(ChainProbe.PAST_THE_FAST_LANE.get()).as("the bearer request skipped the chain").isEqualTo(before);
        HttpResponse<String> chained = basic.post("/api/chat", CHAT);
        assertThat(ChainProbe.PAST_THE_FAST_LANE.get()).as("the Basic request went down the chain").isEqualTo(before + 1);

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).contains("\"upstream\":\"mock\"").endsWith("data: [DONE]\n\n");
        assertThat(headers(fast)).isEqualTo(headers(chained)).containsKeys("content-security-policy", "x-frame-options",
                "x-content-type-options", "referrer-policy", "cache-control");
    }

    @Test
    void aRefusalOnTheFastLaneIsTheChainsRefusal() throws Exception {
        for (String body : List.of("{\"messages\": [", "{\"model\": \"gpt-9-ultra\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")) {
            HttpResponse<String> fast = bearer.post("/api/chat", body);
            HttpResponse<String> chained = basic.post("/api/chat", body);
            assertThat(fast.statusCode()).isEqualTo(400).isEqualTo(chained.statusCode());
            assertThat(fast.body()).contains("invalid_request_error").isEqualTo(chained.body());
            assertThat(headers(fast)).isEqualTo(headers(chained));
        }
    }

    @Test
    void anythingButTheExactPathWithAValidTokenGoesDownTheChain() throws Exception {
        int before = ChainProbe.PAST_THE_FAST_LANE.get();
        HttpResponse<String> pathParameter = bearer.post("/api/chat;jsessionid=x", CHAT);
        HttpResponse<String> badToken = ApiClient.withToken(port, "sb_no-such-token").post("/api/chat", CHAT);
        assertThat(ChainProbe.PAST_THE_FAST_LANE.get()).isEqualTo(before + 2);
        assertThat(pathParameter.statusCode()).as("the firewall still sees ';'").isEqualTo(400);
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(badToken.body()).contains("Invalid or revoked API token");
    }

    /**
     * Header names and values, less the date and the body's framing: an error body written in one piece goes out
     * with a Content-Length where Spring MVC's goes out chunked, the same bytes either way.
     */
    private static Map<String, List<String>> headers(HttpResponse<?> r) {
        var all = new TreeMap<>(r.headers().map());
        all.keySet().removeAll(List.of("date", "content-length", "transfer-encoding"));
        return all;
    }
}
