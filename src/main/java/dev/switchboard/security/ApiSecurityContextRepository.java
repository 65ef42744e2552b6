package dev.switchboard.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * For /api/**: a request with Bearer or Basic credentials is judged by them alone and never by a session cookie
 * that the browser may send along (so it cannot skip the password check, nor the CSRF check, by riding on a
 * session). Without such credentials the login session is used. The request attribute keeps the context for
 * async and error dispatches of the same request (streaming responses).
 */
class ApiSecurityContextRepository implements SecurityContextRepository {

    private final RequestAttributeSecurityContextRepository requestOnly = new RequestAttributeSecurityContextRepository();
    private final SecurityContextRepository sessionOrRequest = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());

    private SecurityContextRepository forRequest(HttpServletRequest request) {
        return ApiRequests.credentialsScheme(request) != null ? requestOnly : sessionOrRequest;
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return forRequest(request).loadDeferredContext(request);
    }

    @Override
    @Deprecated
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return forRequest(holder.getRequest()).loadContext(holder);
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        // API requests never write the session: a login happens only through the login form.
        requestOnly.saveContext(context, request, response);
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return forRequest(request).containsContext(request);
    }
}
