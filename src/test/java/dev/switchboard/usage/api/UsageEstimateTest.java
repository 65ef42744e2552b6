package dev.switchboard.usage.api;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.llm.TokenCounter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Estimates (no usage chunk) on known texts are within 5 % of the upstream's own counts and of the tokenizer
 * run directly, with the encoding of the model's family: o200k for gpt-5.x, cl100k otherwise.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + UsageEstimateTest.ADMIN_PASSWORD,
        "switchboard.models=gpt-5.5,local-free",
        "switchboard.system-prompt=You are a helpful assistant."})
@DirtiesContext
class UsageEstimateTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    static final OfflineModelServer server = OfflineModelServer.start(0, Behavior.fast());

    private static final Map<String, String> TEXTS = Map.of(
            "prose", """
                    The quick brown fox jumps over the lazy dog. It was the best of times, it was the worst of times, it was
                    the age of wisdom, it was the age of foolishness, it was the epoch of belief, it was the epoch of
                    incredulity, it was the season of Light, it was the season of Darkness, it was the spring of hope, it was
                    the winter of despair, we had everything before us, we had nothing before us, we were all going direct to
                    Heaven, we were all going direct the other way. In short, the period was so far like the present period,
                    that some of its noisiest authorities insisted on its being received, for good or for evil, in the
                    superlative degree of comparison only. There were a king with a large jaw and a queen with a plain face,
                    on the throne of England; there were a king with a large jaw and a queen with a fair face, on the throne
                    of France. In both countries it was clearer than crystal to the lords of the State preserves of loaves
                    and fishes, that things in general were settled for ever.""",
            "code", """
                    public static long countPrompt(String model, List<ChatMessage> messages) {
                        Encoding enc = encodingFor(model);
                        long n = PER_REPLY;
                        for (ChatMessage m : messages) {
                            n += PER_MESSAGE + enc.countTokensOrdinary(m.role().wire()) + enc.countTokensOrdinary(m.content());
                        }
                        return n;
                    }
                    SELECT usage_day, model, SUM(prompt_tokens) + SUM(completion_tokens) AS tokens FROM usage_daily
                    WHERE usage_day BETWEEN ? AND ? GROUP BY usage_day, model ORDER BY usage_day, model;
                    for (int i = 0; i < days; i++) { double x = LEFT + i * slot + (slot - barW) / 2; }
                    """.repeat(2),
            "multilingual", """
                    Grüße aus München! Die Straßenbahn fährt über die Isarbrücke, während die Sonne hinter den Alpen
                    untergeht. 東京の夜景はとても美しいです。私たちは新しいプロジェクトについて話し合いました。
                    Привет, как дела? Сегодня отличная погода для прогулки по парку. ¿Dónde está la biblioteca? Está al
                    lado de la estación de tren. Ελληνικά γράμματα και αριθμοί 12345 67890. 한국어 문장도 포함되어 있습니다.
                    """.repeat(3));

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @LocalServerPort
    int port;

    @Test
    void theEncodingFollowsTheModelFamilyAndGivesKnownCounts() {
        assertThat(TokenCounter.encodingFor("gpt-5.5").getName()).isEqualTo("o200k_base");
        assertThat(TokenCounter.encodingFor("gpt-4o-mini").getName()).isEqualTo("o200k_base");
        assertThat(TokenCounter.encodingFor("local-free").getName()).isEqualTo("cl100k_base");
        assertThat(TokenCounter.countText("gpt-4", "tiktoken is great!")).isEqualTo(6); // OpenAI cookbook example
    }

    @Test
    void estimatesAreWithin5PercentOfTheUpstreamAndOfTheTokenizer() {
        UsageHttp http = new UsageHttp(port);
        for (String model : new String[] {"gpt-5.5", "local-free"}) {
            Encoding enc = Encodings.newDefaultEncodingRegistry()
                    .getEncoding(model.startsWith("gpt-5") ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
            for (var text : TEXTS.entrySet()) {
                String what = model + "/" + text.getKey();
                server.setBehavior(Behavior.fast());
                UsageHttp.Chat exact = http.chat("admin", ADMIN_PASSWORD, model, text.getValue());
                server.setBehavior(Behavior.fast().withUsage(false));
                UsageHttp.Chat estimate = http.chat("admin", ADMIN_PASSWORD, model, text.getValue());
                assertThat(exact.estimated()).as(what).isFalse();
                assertThat(estimate.estimated()).as(what).isTrue();
                assertThat(estimate.content()).as(what).isEqualTo(exact.content());

                assertThat((double) estimate.prompt()).as(what + " prompt vs upstream").isCloseTo(exact.prompt(), within(0.05 * exact.prompt()));
                assertThat((double) estimate.completion()).as(what + " completion vs upstream")
                        .isCloseTo(exact.completion(), within(0.05 * exact.completion()));
                // The tokenizer run here directly over what was sent and received (without the chat framing).
                long sent = enc.countTokens("You are a helpful assistant.") + enc.countTokens(text.getValue());
                long received = enc.countTokens(estimate.content());
                assertThat((double) estimate.prompt()).as(what + " prompt vs tokenizer").isCloseTo(sent, within(0.05 * sent));
                assertThat((double) estimate.completion()).as(what + " completion vs tokenizer").isCloseTo(received, within(0.05 * received));
            }
        }
    }
}
