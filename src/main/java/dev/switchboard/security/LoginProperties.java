package dev.switchboard.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code switchboard.login.*}: {@code form-enabled=false} hides the username/password form of the login page when
 * single sign-on is configured (API clients still use tokens or Basic). Without a single sign-on provider the form
 * stays, or nobody could sign in.
 */
@ConfigurationProperties(prefix = "switchboard.login")
public record LoginProperties(@DefaultValue("true") boolean formEnabled) {
}
