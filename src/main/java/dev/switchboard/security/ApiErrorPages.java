package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.ModelAndView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Every error under {@code /api} and {@code /v1} is JSON in that API's shape ({@link ApiErrorBodies}), also the ones no
 * controller words: what the servlet container sends to {@code /error} (the firewall's rejections, exceptions no
 * handler took, a 406) is answered by Spring Boot's error controller, made to answer API paths in JSON whatever the
 * Accept header; what Tomcat refuses before the application sees it is written by {@link JsonErrorReportValve},
 * which replaces the Host's error report valve. Other paths keep Boot's and Tomcat's pages.
 */
@Configuration
class ApiErrorPages {

    @Bean
    BasicErrorController apiAwareErrorController(ErrorAttributes attributes, ServerProperties server,
                                                 ObjectProvider<ErrorViewResolver> resolvers, ObjectMapper json) {
        return new ApiAwareErrorController(attributes, server, resolvers.orderedStream().toList(), json);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReportValve() {
        // Runs after Spring Boot's customizer, which adds a plain ErrorReportValve to the Host: that one is replaced.
        return factory -> factory.addContextCustomizers(context -> {
            if (!(context.getParent() instanceof StandardHost host)) return;
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new JsonErrorReportValve());
            host.setErrorReportValveClass(JsonErrorReportValve.class.getName()); // so the Host adds no other at start
        });
    }

    /** Boot's {@code /error}, except that an error of an API path is that API's JSON body, for any Accept header. */
    static final class ApiAwareErrorController extends BasicErrorController {
        private final ObjectMapper json;

        ApiAwareErrorController(ErrorAttributes attributes, ServerProperties server, List<ErrorViewResolver> resolvers,
                                ObjectMapper json) {
            super(attributes, server.getError(), resolvers);
            this.json = json;
        }

        @Override
        public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
            String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (!ApiErrorBodies.isApi(path)) return super.errorHtml(request, response);
            HttpStatus status = getStatus(request);
            response.setStatus(status.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            try {
                json.writeValue(response.getOutputStream(), ApiErrorBodies.of(path, status.value()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null; // written
        }

        @Override
        public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
            String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (!ApiErrorBodies.isApi(path)) return super.error(request);
            HttpStatus status = getStatus(request);
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                    .body(ApiErrorBodies.of(path, status.value()));
        }
    }
}
