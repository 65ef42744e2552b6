package dev.switchboard.security;

import dev.switchboard.users.Role;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** A request authenticated with a personal API token; {@link #getName()} is the username. */
public class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final String username;
    private final long tokenId;

    ApiTokenAuthentication(String username, Role role, long tokenId) {
        super(AuthorityUtils.createAuthorityList(role.authority()));
        this.username = username;
        this.tokenId = tokenId;
        setAuthenticated(true);
    }

    @Override
    public Object getPrincipal() {
        return username;
    }

    @Override
    public Object getCredentials() {
        return null; // the token itself is never kept
    }

    /** The authentication of a request that presented the token {@code owner} holds. */
    static ApiTokenAuthentication of(ApiTokens.TokenOwner owner) {
        return new ApiTokenAuthentication(owner.username(), owner.role(), owner.tokenId());
    }

    public long tokenId() {
        return tokenId;
    }
}
