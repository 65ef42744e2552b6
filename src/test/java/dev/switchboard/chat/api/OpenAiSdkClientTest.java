package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAI-compatible API as OpenAI's own Java SDK sees it: the app on a random port, the mock upstream on a real
 * socket, openai-java pointed at {@code /v1} with a personal token as the API key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "switchboard.first-token-timeout=6s")
class OpenAiSdkClientTest {
    static final OfflineModelServer upstream = MockUpstreamApp.fastServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String adminToken;
    private static String limitedToken;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstreamApp.register(r, upstream, "v1-sdk");
    }

    @AfterAll
    static void stop() { upstream.close(); }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired ApiTokens tokens;
    @Autowired UserAccounts accounts;
    OpenAIClient client;

    @BeforeEach
    void setUp() {
        if (adminToken == null) {
            adminToken = tokens.create("admin", "sdk").token();
            accounts.create("quincy", "quincy-password-1", Role.USER);
            accounts.setDailyTokenQuota("quincy", 0L);
            limitedToken = tokens.create("quincy", "sdk").token();
        }
        client = client(adminToken);
        upstream.setBehavior(Behavior.fast());
        upstream.resetCalls();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static ChatCompletionCreateParams.Builder ask(String text) {
        return ChatCompletionCreateParams.builder().model("gpt-5.5").addUserMessage(text);
    }

    @Test
    void streamsChunksThenAUsageChunkWithNoChoices() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("What is Agent Router?")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).contains("What is Agent Router?");
        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).startsWith("chatcmpl-"));
        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isPresent();
        assertThat(last.usage().get().promptTokens()).isPositive();
        assertThat(last.usage().get().completionTokens()).isPositive();
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        long prompt = last.usage().get().promptTokens();
        await().untilAsserted(() -> {
            List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM usage_records WHERE source = 'v1' AND prompt_tokens = ? AND status = 'completed'")
                    .param(prompt).query().listOfRows();
            assertThat(rows).hasSize(1);
            assertThat((String) rows.get(0).get("UPSTREAM_REQUEST_ID")).startsWith("req-offline-");
            assertThat(rows.get(0).get("ESTIMATED")).isEqualTo(false);
        });
    }

    @Test
    void withoutStreamingItIsOneChatCompletionWithUsageAndOurRequestId() {
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask("Hello there").build());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().values("X-Request-ID")).singleElement().asString().startsWith("req_");
        ChatCompletion c = raw.parse();
        assertThat(c.id()).startsWith("chatcmpl-");
        assertThat(c.model()).isEqualTo("gpt-5.5");
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).contains("Hello there"));
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens()));
    }

    @Test
    void aDeveloperMessageIsRelayedAndReplacesTheSystemPrompt() {
        ChatCompletion c = client.chat().completions().create(ask("Hi").addDeveloperMessage("Answer in French.").build());
        assertThat(c.choices().get(0).message().content()).isPresent();
        JsonNode sent = upstream.lastRequest().get("messages");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).get("role").asText()).isEqualTo("developer");
        assertThat(sent.get(1).get("content").asText()).isEqualTo("Answer in French.");
    }

    @Test
    void withoutTheUpstreamsUsageTheCountsAreOurEstimate() {
        upstream.setBehavior(Behavior.fast().withUsage(false));
        ChatCompletion c = client.chat().completions().create(ask("count me without usage").build());
        assertThat(c.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isPositive();
            assertThat(u.completionTokens()).isPositive();
            assertThat(u._additionalProperties().get("estimated")).isEqualTo(JsonValue.from(true));
        });
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE source = 'v1' AND estimated AND status = 'completed'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void aToolCallGoesOutAndItsResultComesBack() {
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object")).build()).build()).build();
        ChatCompletion first = client.chat().completions().create(ask("Weather in Paris?").addTool(weather).build());
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(upstream.lastRequest().get("tools").get(0).get("function").get("name").asText()).isEqualTo("get_weather");

        ChatCompletion second = client.chat().completions().create(ask("Weather in Paris?").addTool(weather)
                .addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 C, sunny").build())
                .build());
        assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(second.choices().get(0).message().content()).isPresent();
        JsonNode sent = upstream.lastRequest().get("messages");
        JsonNode assistant = sent.get(sent.size() - 2);
        assertThat(assistant.get("tool_calls").get(0).get("id").asText()).isEqualTo(call.id());
        assertThat(assistant.get("tool_calls").get(0).get("function").get("arguments").asText()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(sent.get(sent.size() - 1).get("role").asText()).isEqualTo("tool");
        assertThat(sent.get(sent.size() - 1).get("tool_call_id").asText()).isEqualTo(call.id());
    }

    @Test
    void streamedToolCallsArriveAsToolCallDeltas() {
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").build()).build();
        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<ChatCompletionChunk.Choice.FinishReason> finish = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("Weather?").addTool(weather).build())) {
            stream.stream().flatMap(c -> c.choices().stream()).forEach(ch -> {
                ch.delta().toolCalls().ifPresent(calls -> calls.forEach(tc -> {
                    tc.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name).ifPresent(names::add);
                    tc.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments).ifPresent(arguments::append);
                }));
                ch.finishReason().ifPresent(finish::add);
            });
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(arguments.toString()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(finish).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void contentArraysAndParametersReachTheUpstreamAsSent() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is in this image?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64,iVBORw0KGgo=")
                                        .detail(ChatCompletionContentPartImage.ImageUrl.Detail.LOW).build()).build())))
                .temperature(0.25).topP(0.5).maxCompletionTokens(77L).seed(42L).presencePenalty(0.1).frequencyPenalty(0.2)
                .stop("END").user("end-user-7")
                .putAdditionalBodyProperty("response_format", JsonValue.from(Map.of("type", "json_object")))
                .putAdditionalBodyProperty("some_unknown_field", JsonValue.from(1))
                .build();
        ChatCompletion c = client.chat().completions().create(params);
        assertThat(c.choices().get(0).message().content()).isPresent();
        JsonNode sent = upstream.lastRequest();
        JsonNode user = sent.get("messages").get(sent.get("messages").size() - 1);
        assertThat(user.get("content")).isEqualTo(JSON.valueToTree(List.of(
                Map.of("type", "text", "text", "What is in this image?"),
                Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,iVBORw0KGgo=", "detail", "low")))));
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.25);
        assertThat(sent.get("top_p").asDouble()).isEqualTo(0.5);
        assertThat(sent.get("max_completion_tokens").asLong()).isEqualTo(77);
        assertThat(sent.get("seed").asLong()).isEqualTo(42);
        assertThat(sent.get("presence_penalty").asDouble()).isEqualTo(0.1);
        assertThat(sent.get("frequency_penalty").asDouble()).isEqualTo(0.2);
        assertThat(sent.get("stop").asText()).isEqualTo("END");
        assertThat(sent.get("user").asText()).isEqualTo("end-user-7");
        assertThat(sent.get("response_format").get("type").asText()).isEqualTo("json_object");
        assertThat(sent.has("some_unknown_field")).isFalse();
    }

    @Test
    void errorsMapToTheSdksExceptionTypes() {
        assertThatThrownBy(() -> client.chat().completions().create(ask("x").n(2).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                });
        assertThatThrownBy(() -> client(adminToken + "x").chat().completions().create(ask("x").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).contains("invalid_api_key"));
        assertThatThrownBy(() -> client.chat().completions().create(ask("x").model("gpt-9-ultra").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
        assertThatThrownBy(() -> client(limitedToken).chat().completions().create(ask("x").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("Retry-After")).isNotEmpty();
                    assertThat(e.code()).contains("quota_exceeded");
                });
        assertThatThrownBy(() -> client.chat().completions().create(ask("a".repeat(1024 * 1024 + 1)).build()))
                .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> assertThat(e.statusCode()).isEqualTo(413));
        int calls = upstream.calls();
        upstream.setBehavior(Behavior.failing(500));
        assertThatThrownBy(() -> client.chat().completions().create(ask("x").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("mock: 500").doesNotContain("simulated upstream error");
                });
        assertThatThrownBy(() -> client.chat().completions().createStreaming(ask("x").build()).stream().count())
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
        assertThat(upstream.calls()).as("only the two upstream failures reached it").isEqualTo(calls + 2);
        upstream.setBehavior(Behavior.fast().withFirstTokenDelay(Duration.ofSeconds(12)));
        assertThatThrownBy(() -> client.chat().completions().create(ask("x").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.code()).contains("upstream_unavailable");
                    assertThat(e.getMessage()).contains("no first token within");
                });
    }

    @Test
    void aStreamThatBreaksAfterItsFirstTokenRaisesInTheClient() {
        upstream.setBehavior(Behavior.fast().withDropAfter(4));
        StringBuilder text = new StringBuilder();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("break please").build())) {
                Iterator<ChatCompletionChunk> it = stream.stream().iterator();
                while (it.hasNext()) it.next().choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            }
        }).isInstanceOf(OpenAIException.class).hasMessageContaining("interrupted");
        assertThat(text).isNotEmpty();
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE source = 'v1' AND status = 'interrupted'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void onTheWireABrokenStreamEndsWithAnErrorEventThenDone() throws Exception {
        upstream.setBehavior(Behavior.fast().withDropAfter(4));
        HttpResponse<java.util.stream.Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "gpt-5.5", "stream": true, "messages": [{"role": "user", "content": "break"}]}""")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("X-Request-ID")).isPresent();
        List<String> data = r.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode error = JSON.readTree(data.get(data.size() - 2)).get("error");
        assertThat(error.get("code").asText()).isEqualTo("stream_interrupted");
        assertThat(error.get("message").asText()).startsWith("The reply was interrupted");
        assertThat(error.has("param")).isTrue();
        assertThat(JSON.readTree(data.get(0)).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    }

    @Test
    void aClientThatHangsUpStopsTheGeneration() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(20).withReplyTokens(400));
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("long one").build())) {
            assertThat(stream.stream().iterator().hasNext()).isTrue();
            await().until(() -> upstream.openStreams() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openStreams() == 0);
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE source = 'v1' AND status = 'stopped'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void aNonStreamingClientThatHangsUpStopsTheGeneration() throws Exception {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(20).withReplyTokens(400));
        String body = "{\"model\":\"gpt-5.5\",\"messages\":[{\"role\":\"user\",\"content\":\"long one\"}]}";
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + adminToken + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            await().until(() -> upstream.openStreams() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openStreams() == 0);
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE source = 'v1' AND status = 'stopped'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void aSlowNonStreamingReplyParsesAfterTheSpacesThatKeepItsClientInSight() throws Exception {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(20).withReplyTokens(50)); // ~2.5 s
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5.5\",\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).startsWith(" ");
        assertThat(JSON.readTree(raw.body()).at("/choices/0/message/content").asText()).isNotBlank();
        ChatCompletion c = client.chat().completions().create(ask("slow again").build());
        assertThat(c.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
    }

    @Test
    void theRightKeyOfADisabledAccountIsPermissionDenied() {
        accounts.create("dieter", "dieter-password-1", Role.USER);
        OpenAIClient dieter = client(tokens.create("dieter", "sdk").token());
        assertThat(dieter.models().list().data()).isNotEmpty();
        accounts.setEnabled("dieter", false);
        assertThatThrownBy(() -> dieter.chat().completions().create(ask("hi").build()))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.code()).contains("account_disabled");
                });
        assertThatThrownBy(() -> dieter.models().list()).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void listsAndRetrievesTheConfiguredModels() throws Exception {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("gpt-5.5", "gpt-4o-mini");
        Model m = client.models().retrieve("gpt-4o-mini");
        assertThat(m.ownedBy()).isEqualTo("switchboard");
        assertThatThrownBy(() -> client.models().retrieve("gpt-9-ultra")).isInstanceOf(NotFoundException.class);
        HttpResponse<String> basic = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v1/models")).header("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("admin:" + MockUpstreamApp.ADMIN_PASSWORD).getBytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).as("HTTP Basic works too").isEqualTo(200);
    }

    @Test
    void everyV1ResponseHasARequestIdAndUnauthenticatedCallsGetOpenAisError() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Request-ID")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error.has("param")).isTrue();
        HttpResponse<String> unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v1/nothing")).header("Authorization", "Bearer " + adminToken).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void apiChatAcceptsContentArraysAndPassesParametersToo() throws Exception {
        ApiClient api = ApiClient.withToken(port, adminToken);
        List<String> events = api.chat("""
                {"messages": [{"role": "user", "content": [{"type": "text", "text": "Describe"},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}],
                 "temperature": 0.3, "max_tokens": 12}""");
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode sent = upstream.lastRequest();
        assertThat(sent.get("messages").get(sent.get("messages").size() - 1).get("content").get(1).get("image_url").get("url").asText())
                .isEqualTo("https://example.com/cat.png");
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.get("max_tokens").asLong()).isEqualTo(12);
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE source = 'api'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1));

        List<String> withTools = api.chat("""
                {"messages": [{"role": "user", "content": "Weather?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather"}}]}""");
        List<JsonNode> calls = withTools.stream().filter(e -> e.contains("\"tool_call\"")).map(e -> {
            try { return JSON.readTree(e).get("tool_call"); } catch (Exception x) { throw new AssertionError(x); }
        }).toList();
        assertThat(calls).as(String.join("\n", withTools)).hasSize(2);
        assertThat(calls.get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(calls.get(0).get("arguments").asText() + calls.get(1).get("arguments").asText()).isEqualTo("{\"city\": \"Paris\"}");
    }
}
