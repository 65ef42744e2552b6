package dev.switchboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The APIs take request bodies as {@code application/json} in UTF-8 only, whichever way a controller reads its body
 * (Spring's converter, or by hand as /api/chat, /v1 and the admin API do): a body of another media type (or none
 * named) is refused with 415, one that names another charset with 400, in the chain's error shape. Requests without a
 * body pass. Last in the /api and /v1 chains, so a caller learns about its credentials first. (That the bytes are
 * UTF-8, not UTF-16 that JSON parsers would otherwise detect, is the parsers' part.) Not a bean, like
 * {@link ApiTokenAuthenticationFilter}.
 */
class JsonRequestBodies extends OncePerRequestFilter {

    /** Writes a refusal in the chain's error shape. */
    interface Refusal {
        void send(HttpServletResponse response, int status, String message) throws IOException;
    }

    private static final String NOT_UTF8 =
            "The body must be UTF-8: send 'Content-Type: application/json' or 'application/json; charset=utf-8'.";

    private final Refusal refusal;

    JsonRequestBodies(Refusal refusal) {
        this.refusal = refusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getContentType();
        MediaType type;
        try {
            type = header == null ? null : MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) { // an unknown charset is one
            if (header.regionMatches(true, 0, "application/json;", 0, 17)) {
                refusal.send(response, 400, NOT_UTF8);
                return;
            }
            type = null;
        }
        if (type == null || !MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)) {
            refusal.send(response, 415, "Send the body as application/json (UTF-8).");
            return;
        }
        if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
            refusal.send(response, 400, NOT_UTF8);
            return;
        }
        chain.doFilter(request, response);
    }
}
