package dev.switchboard.llm.openai;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.llm.Upstream;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the upstream chain: {@code switchboard.upstreams[i]} in order; else Agent Router when
 * {@code AGENT_ROUTER_API_KEY} is set; else the built-in offline model on a loopback port.
 */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {
    static final String AGENT_ROUTER_URL = "https://api.router.tetrate.ai/v1";
    private static final Logger log = LoggerFactory.getLogger(UpstreamConfiguration.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Reads the upstream streams: one thread per open stream, reused; bounded so a flood cannot exhaust memory. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService upstreamReaders() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, 4096, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "upstream-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService routerTimers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "router-timer");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // most first-token watchdogs are cancelled; don't keep them queued
        return timers;
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
                                  ExecutorService upstreamReaders, ScheduledExecutorService routerTimers) {
        List<Upstream> chain = new ArrayList<>();
        Duration stall = props.stallTimeout();
        Duration pace = props.effectiveReadInterval();
        if (!props.upstreams().isEmpty()) {
            int i = 0;
            for (SwitchboardProperties.UpstreamProperties u : props.upstreams()) {
                String name = blank(u.name()) ? "upstream-" + i : u.name();
                if (blank(u.baseUrl())) throw new IllegalStateException("switchboard.upstreams[" + i + "].base-url is required");
                chain.add(new OpenAiUpstream(name, u.baseUrl(), u.apiKey(), u.model(), false, CONNECT_TIMEOUT, stall, pace, upstreamReaders));
                i++;
            }
        } else if (!blank(env.getProperty("AGENT_ROUTER_API_KEY"))) {
            String url = env.getProperty("AGENT_ROUTER_BASE_URL", AGENT_ROUTER_URL);
            chain.add(new OpenAiUpstream("agent-router", url, env.getProperty("AGENT_ROUTER_API_KEY"), null, false,
                    CONNECT_TIMEOUT, stall, pace, upstreamReaders));
        } else {
            OfflineModelServer s = offline.server();
            chain.add(new OpenAiUpstream("offline", s.baseUrl(), s.apiKey(), null, true, CONNECT_TIMEOUT, stall, pace, upstreamReaders));
        }
        log.info("Upstream chain, in failover order: {}", chain.stream().map(Upstream::name).toList());
        return new UpstreamRouter(chain, routerTimers, Clock.systemUTC(), props.firstTokenTimeout(), props.maxRetryWait(), props.cooldown());
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
