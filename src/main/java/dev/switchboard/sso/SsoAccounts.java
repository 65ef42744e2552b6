package dev.switchboard.sso;

import dev.switchboard.admin.users.AuditAction;
import dev.switchboard.admin.users.AuditLog;
import dev.switchboard.security.SsoLoginRefusedException;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;

/**
 * The Switchboard account of a single sign-on identity: found by the identity (issuer and subject), or made at its
 * first sign-in with the username from the provider; its role set from the admin group when roles come from the
 * provider. A disabled account is refused however valid the sign-in. An existing account of the same name that is
 * not linked to this identity is never taken over. Changes are audited as done by {@value #ACTOR}.
 */
@Service
class SsoAccounts {
    static final String ACTOR = "(single sign-on)";

    private final UserAccounts accounts;
    private final AuditLog audit;

    SsoAccounts(UserAccounts accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    @Transactional
    public UserAccount signIn(SsoIdentity identity) {
        Optional<UserAccount> linked = accounts.findBySsoIdentity(identity.issuer(), identity.subject());
        UserAccount account = linked.isPresent() ? linked.get() : create(identity);
        if (!account.enabled()) {
            throw new SsoLoginRefusedException(SsoLoginRefusedException.ACCOUNT_DISABLED, account.username(),
                    "The account is disabled in Switchboard.");
        }
        Role role = identity.role();
        if (role != null && role != account.role()) {
            accounts.setRoleFromIdentityProvider(account.username(), role);
            audit.record(ACTOR, AuditAction.ROLE_CHANGED, account.username(),
                    account.role() + " → " + role + " (admin group at sign-in via " + identity.registration() + ")");
            account = accounts.findById(account.id()).orElseThrow();
        }
        return account;
    }

    private UserAccount create(SsoIdentity identity) {
        String username = identity.username();
        if (!UserAccounts.isValidUsername(username)) {
            throw new SsoLoginRefusedException(SsoLoginRefusedException.USERNAME_MISSING, null,
                    "The identity provider sent no usable username.");
        }
        if (accounts.findByUsername(username).isPresent()) {
            throw taken(username.strip());
        }
        Role role = identity.role() == null ? Role.USER : identity.role();
        UserAccount created;
        try {
            created = accounts.createForSso(username, displayName(identity.displayName()), role, identity.issuer(),
                    identity.subject());
        } catch (IllegalArgumentException e) { // another sign-in took the name (or made this account) meanwhile
            throw taken(username.strip());
        }
        audit.record(ACTOR, AuditAction.USER_CREATED, created.username(),
                "role=" + role + ", at first sign-in via " + identity.registration());
        return created;
    }

    private static SsoLoginRefusedException taken(String username) {
        return new SsoLoginRefusedException(SsoLoginRefusedException.USERNAME_TAKEN, username,
                "The username belongs to an account not linked to this identity.");
    }

    private static String displayName(String name) {
        if (name == null || name.isBlank()) return null;
        String n = name.strip();
        return n.length() <= 128 ? n : n.substring(0, 128); // users.display_name
    }
}
