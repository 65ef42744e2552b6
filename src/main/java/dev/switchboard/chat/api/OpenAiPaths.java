package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** What every /v1 response shares: our X-Request-ID, and a 404 in OpenAI's shape for a path no controller serves. */
@Configuration
class OpenAiPaths {
    static final String REQUEST_ID = "X-Request-ID";

    /** Before Spring Security's filters, so that a 401 carries the id as well. */
    @Bean
    FilterRegistrationBean<Filter> openAiRequestIds() {
        Filter filter = (request, response, chain) -> {
            byte[] random = new byte[12];
            ThreadLocalRandom.current().nextBytes(random); // an id to quote in a bug report, not a secret
            ((jakarta.servlet.http.HttpServletResponse) response).setHeader(REQUEST_ID, "req_" + HexFormat.of().formatHex(random));
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> bean = new FilterRegistrationBean<>(filter);
        bean.addUrlPatterns("/v1/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }

    /** Ordered as UnknownApiPaths' mapping: after the controllers', before Vaadin's catch-all. */
    @Bean
    SimpleUrlHandlerMapping unknownOpenAiPathMapping(ObjectMapper json) {
        HttpRequestHandler notFound = (request, response) -> {
            response.setStatus(404);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            json.writeValue(response.getOutputStream(), new OpenAiError.Body(new OpenAiError.Detail(
                    "There is no " + request.getMethod() + " " + OpenAiError.clip(request.getRequestURI()) + " in this API.",
                    "invalid_request_error", null, "unknown_url")));
        };
        return new SimpleUrlHandlerMapping(Map.of("/v1/**", notFound), 1);
    }
}
