package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import java.util.Map;

/** A 404 in OpenAI's shape for a /v1 path no controller serves (the X-Request-ID comes from the /v1 security chain). */
@Configuration
class OpenAiPaths {
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
