package dev.switchboard.chat.api;

import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.security.BearerShortcut;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.io.IOException;

/**
 * {@code POST /api/chat} with a valid bearer token, answered ahead of every other filter: what the /api security
 * chain would do for it ({@link BearerShortcut}: the token check, the security headers) and then the handler,
 * without the chain's other filters, Spring MVC's dispatch and the framework's per-request filters. That was most
 * of the CPU spent before the upstream request went out, so of the time to first token the app adds. Any other
 * request to the path, a bad or absent token included, goes down the chain to {@link ChatApiController} as before.
 */
class ChatApiFastLane implements Filter {

    private final BearerShortcut bearer;
    private final ChatApiHandler handler;

    ChatApiFastLane(BearerShortcut bearer, ChatApiHandler handler) {
        this.bearer = bearer;
        this.handler = handler;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        // The exact path, undecoded: nothing for the firewall to normalise (no ";", "%", "//" or "..").
        boolean ours = "POST".equals(request.getMethod())
                && (request.getContextPath() + ChatApiController.PATH).equals(request.getRequestURI());
        if (!ours || !bearer.serve(request, (HttpServletResponse) res, this::chat)) {
            chain.doFilter(req, res);
        }
    }

    private void chat(HttpServletRequest request, HttpServletResponse response, String username) throws IOException {
        try {
            handler.handle(request, response, username);
        } catch (ApiRejection | LimitExceededException refused) {
            handler.writeRefusal(response, refused);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        /** First of all filters, on the one path; the chain's own filters still see every other request. */
        @Bean
        FilterRegistrationBean<ChatApiFastLane> chatApiFastLane(BearerShortcut bearer, ChatApiHandler handler) {
            var registration = new FilterRegistrationBean<>(new ChatApiFastLane(bearer, handler));
            registration.addUrlPatterns(ChatApiController.PATH);
            registration.setDispatcherTypes(DispatcherType.REQUEST);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
