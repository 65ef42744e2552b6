package dev.switchboard.security;

import org.springframework.security.core.AuthenticationException;

/** A bearer token that is unknown, revoked, or belongs to a disabled user. */
class InvalidApiTokenException extends AuthenticationException {
    InvalidApiTokenException() {
        super("Invalid or revoked API token.");
    }
}
