package dev.switchboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Gives every /v1 response an X-Request-ID, first in the /v1 chain so that a 401 carries one as well. */
class RequestIdFilter extends OncePerRequestFilter {
    static final String HEADER = "X-Request-ID";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random); // an id to quote in a bug report, not a secret
        response.setHeader(HEADER, "req_" + HexFormat.of().formatHex(random));
        chain.doFilter(request, response);
    }
}
