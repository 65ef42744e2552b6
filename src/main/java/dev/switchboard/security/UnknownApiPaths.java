package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import java.util.Map;

/**
 * A path under /api that no controller serves is a 404 with the API's error body. Without this, Vaadin's catch-all
 * mapping answered it with 200 and the app's HTML page. Ordered right after the controllers' mapping, which still
 * answers a known path asked with the wrong method with 405 (that mapping throws before later ones are asked).
 */
@Configuration
class UnknownApiPaths {

    @Bean
    SimpleUrlHandlerMapping unknownApiPathMapping(ObjectMapper json) {
        ApiErrorHandler errors = new ApiErrorHandler(json);
        HttpRequestHandler notFound = (request, response) -> errors.write(response, 404, "not_found",
                "There is no " + request.getMethod() + " " + request.getRequestURI() + " in the API.");
        return new SimpleUrlHandlerMapping(Map.of("/api/**", notFound), 1);
    }
}
