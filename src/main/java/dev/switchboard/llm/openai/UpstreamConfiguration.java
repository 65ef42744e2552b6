package dev.switchboard.llm.openai;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.llm.Upstream;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.TaskScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the upstream chain: {@code switchboard.upstreams[i]} in order; else Agent Router when
 * {@code AGENT_ROUTER_API_KEY} is set; else the built-in offline model on a loopback port.
 */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {
    static final String AGENT_ROUTER_URL = "https://api.router.tetrate.ai/v1";
    private static final Logger log = LoggerFactory.getLogger(UpstreamConfiguration.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Streams open at once across all upstreams; each holds a reader thread while it streams. */
    static final int MAX_STREAMS = 4096;

    /** Read the upstream streams: a thread per open stream, reused, none queued (a stream must not wait for another). */
    @Bean
    ThreadPoolTaskExecutor upstreamReaders() {
        ThreadPoolTaskExecutor readers = new ThreadPoolTaskExecutor();
        readers.setThreadNamePrefix("upstream-reader-");
        readers.setCorePoolSize(0);
        readers.setMaxPoolSize(MAX_STREAMS);
        readers.setQueueCapacity(0);
        readers.setDaemon(true);
        // Shut down with the context's beans, not paused in its lifecycle phase: that pause waited out its whole
        // 30 s timeout on every stop, even with no stream open.
        readers.setAcceptTasksAfterContextClose(true);
        readers.initialize();
        readers.execute(OpenAiUpstream::warmUp); // off the start-up path, before the first chat needs it
        return readers;
    }

    /** Shared by every upstream: one connection pool, one dispatcher. */
    @Bean(destroyMethod = "")
    OkHttpClient upstreamHttp() {
        return OpenAiUpstream.httpClient(MAX_STREAMS);
    }

    @Bean(destroyMethod = "close")
    OfflineModelHolder offlineModel(SwitchboardProperties props, Environment env) {
        boolean needed = props.upstreams().isEmpty() && blank(env.getProperty("AGENT_ROUTER_API_KEY"));
        if (!needed) return new OfflineModelHolder(null);
        OfflineModelServer server = OfflineModelServer.start(props.offline().port(),
                Behavior.offline().withTokensPerSecond(props.offline().tokensPerSecond()));
        log.info("No upstream configured: answering with the built-in offline model on {} "
                + "(set AGENT_ROUTER_API_KEY or switchboard.upstreams[0].* to use a real model)", server.baseUrl());
        return new OfflineModelHolder(server);
    }

    @Bean
    UpstreamRouter upstreamRouter(SwitchboardProperties props, Environment env, OfflineModelHolder offline,
                                  OkHttpClient upstreamHttp, ThreadPoolTaskExecutor upstreamReaders,
                                  TaskScheduler timers) {
        List<Upstream> chain = new ArrayList<>();
        Duration stall = props.stallTimeout();
        if (!props.upstreams().isEmpty()) {
            int i = 0;
            for (SwitchboardProperties.UpstreamProperties u : props.upstreams()) {
                String name = blank(u.name()) ? "upstream-" + i : u.name();
                if (blank(u.baseUrl())) throw new IllegalStateException("switchboard.upstreams[" + i + "].base-url is required");
                chain.add(new OpenAiUpstream(name, u.baseUrl(), u.apiKey(), u.model(), false, upstreamHttp, CONNECT_TIMEOUT, stall, upstreamReaders));
                i++;
            }
        } else if (!blank(env.getProperty("AGENT_ROUTER_API_KEY"))) {
            String url = env.getProperty("AGENT_ROUTER_BASE_URL", AGENT_ROUTER_URL);
            chain.add(new OpenAiUpstream("agent-router", url, env.getProperty("AGENT_ROUTER_API_KEY"), null, false,
                    upstreamHttp, CONNECT_TIMEOUT, stall, upstreamReaders));
        } else {
            OfflineModelServer s = offline.server();
            chain.add(new OpenAiUpstream("offline", s.baseUrl(), s.apiKey(), null, true, upstreamHttp, CONNECT_TIMEOUT, stall, upstreamReaders));
        }
        log.info("Upstream chain, in failover order: {}", chain.stream().map(Upstream::name).toList());
        return new UpstreamRouter(chain, timers, Clock.systemUTC(), props.firstTokenTimeout(), props.maxRetryWait(), props.cooldown());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The offline model's server when it runs (null otherwise); closed with the context. */
    public record OfflineModelHolder(OfflineModelServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) server.close();
        }
    }
}
