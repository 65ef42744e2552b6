package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad request to /api/chat gets its status and a JSON error that says what is wrong; nothing reaches the upstream. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApiBadInputTest {
    static final OfflineModelServer upstream = MockUpstreamApp.fastServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstreamApp.register(r, upstream, "api-bad");
    }

    @AfterAll
    static void stop() { upstream.close(); }

    @LocalServerPort int port;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON                 | 400 | {"messages": [                                                    | not valid JSON
            not an object                  | 400 | [1, 2, 3]                                                         | JSON object
            empty body                     | 400 | ' '                                                               | JSON object
            missing messages               | 400 | {"model": "gpt-5.5"}                                              | 'messages' is required
            messages not an array          | 400 | {"messages": "hello"}                                             | must be an array
            empty messages                 | 400 | {"messages": []}                                                  | must not be empty
            message not an object          | 400 | {"messages": ["hello"]}                                           | must be an object
            unknown role                   | 400 | {"messages": [{"role": "robot", "content": "x"}]}                 | must be one of system, user, assistant
            tool without tool_call_id      | 400 | {"messages": [{"role": "tool", "content": "x"}]}                  | tool_call_id is required
            missing role                   | 400 | {"messages": [{"content": "x"}]}                                  | role must be a string
            number content                 | 400 | {"messages": [{"role": "user", "content": 42}]}                   | content must be a string or an array
            text part without text         | 400 | {"messages": [{"role": "user", "content": [{"type": "text"}]}]}   | content[0].text must be a string
            missing content                | 400 | {"messages": [{"role": "user"}]}                                  | content is required
            no user message                | 400 | {"messages": [{"role": "system", "content": "x"}]}                | at least one user message
            model not allowed              | 400 | {"model": "gpt-9-ultra", "messages": [{"role": "user", "content": "x"}]} | Unknown model 'gpt-9-ultra'
            model not a string             | 400 | {"model": 5, "messages": [{"role": "user", "content": "x"}]}      | 'model' must be a string
            """)
    void rejectsABadBodyWithAClearJsonError(String what, int status, String body, String message) throws Exception {
        int before = upstream.calls();
        HttpResponse<String> r = admin().post("/api/chat", body.strip());
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("message").asText()).contains(message);
        assertThat(upstream.calls()).isEqualTo(before);
    }

    @Test
    void aBodyOverOneMegabyteIs413() throws Exception {
        char[] big = new char[1024 * 1024 + 10];
        Arrays.fill(big, 'a');
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + new String(big) + "\"}]}";
        HttpResponse<String> r = admin().post("/api/chat", body);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).contains("1 MB");
    }

    @Test
    void aMessageOverTheCharacterLimitIs400() throws Exception {
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "b".repeat(100_001) + "\"}]}";
        HttpResponse<String> r = admin().post("/api/chat", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).contains("100000 characters");
    }

    @Test
    void noAuthenticationIs401WithAJsonError() throws Exception {
        HttpResponse<String> r = new ApiClient(port, null, null).post("/api/chat", "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).isNotBlank();
    }

    @Test
    void theAppStaysHealthyAfterBadInput() throws Exception {
        admin().post("/api/chat", "{oops");
        assertThat(admin().chat("{\"messages\": [{\"role\": \"user\", \"content\": \"still there?\"}]}")).last().isEqualTo("[DONE]");
    }

    private ApiClient admin() {
        return new ApiClient(port, "admin", MockUpstreamApp.ADMIN_PASSWORD);
    }
}
