package dev.switchboard.security.api;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CSRF token for browser code that calls the API with the login session cookie: send it back in the
 * header named here (X-CSRF-TOKEN). Vaadin's own token is a different one and is not accepted by the API.
 */
@RestController
class CsrfController {

    record CsrfResponse(String token, String headerName, String parameterName) {
    }

    @GetMapping("/api/csrf")
    CsrfResponse csrf(CsrfToken token) {
        return new CsrfResponse(token.getToken(), token.getHeaderName(), token.getParameterName());
    }
}
