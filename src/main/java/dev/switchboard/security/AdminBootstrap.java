package dev.switchboard.security;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.users.InvalidPasswordException;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * On the first start (no users at all) creates {@code admin} with {@code switchboard.admin-password}
 * (env SWITCHBOARD_ADMIN_PASSWORD), or with a random password that is logged once. There are no other default users.
 * Runs before the web server opens its port (not as an ApplicationRunner, which runs after): a health check that says
 * UP must not be followed by a login that fails because the admin does not exist yet. Instances sharing PostgreSQL
 * that start together may all find no users: the database's unique username lets one create {@code admin}, and the
 * others start with that one (only its generated password is logged).
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton {

    static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserAccounts accounts;
    private final SwitchboardProperties properties;

    AdminBootstrap(UserAccounts accounts, SwitchboardProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        createAdminIfNoUsers();
    }

    /** @return true if the admin was created now */
    boolean createAdminIfNoUsers() {
        if (accounts.count() > 0) {
            return false;
        }
        return createAdmin();
    }

    /** @return false if another instance created it first (after this one found no users) */
    boolean createAdmin() {
        try {
            create();
            return true;
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidPasswordException || accounts.findByUsername(ADMIN).isEmpty()) throw e;
            log.info("User '{}' was created by another instance starting at the same time", ADMIN);
            return false;
        }
    }

    private void create() {
        String configured = properties.adminPassword();
        if (configured != null && !configured.isBlank()) {
            try {
                accounts.create(ADMIN, configured, Role.ADMIN);
            } catch (InvalidPasswordException e) { // fail the start rather than run with a weak admin password
                throw new IllegalStateException("SWITCHBOARD_ADMIN_PASSWORD (switchboard.admin-password) is not "
                        + "acceptable: " + e.getMessage(), e);
            }
            log.info("Created user '{}' with the password from SWITCHBOARD_ADMIN_PASSWORD", ADMIN);
        } else {
            String generated = generatePassword();
            accounts.create(ADMIN, generated, Role.ADMIN);
            // The one place a password is logged, by design: otherwise nobody could log in to a fresh install.
            log.warn("Created user '{}' with generated password: {} (set SWITCHBOARD_ADMIN_PASSWORD to choose it)",
                    ADMIN, generated);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); // 24 characters
    }
}
