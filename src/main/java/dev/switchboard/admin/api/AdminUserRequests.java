package dev.switchboard.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.admin.users.NewUser;
import dev.switchboard.admin.users.UserChanges;

import dev.switchboard.users.Role;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the JSON bodies of the admin user API by hand, so each fault (bad JSON, wrong type, unknown field, bad role)
 * gets its own 400 message instead of a generic one. Unknown fields are refused: a typo in a provisioning script
 * ("enabeld") must not look like success.
 */
final class AdminUserRequests {

    /** A request body the API refuses with 400 and this message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "role", "displayName", "dailyTokenQuota");
    private static final Set<String> PATCH_FIELDS = Set.of("role", "enabled", "dailyTokenQuota", "password", "displayName");

    private final ObjectMapper json;

    AdminUserRequests(ObjectMapper json) {
        this.json = json;
    }

    NewUser create(byte[] body) {
        JsonNode root = object(body, CREATE_FIELDS);
        String username = text(root, "username", true);
        String password = text(root, "password", true);
        Role role = role(root.get("role"), true);
        return new NewUser(username, text(root, "displayName", false), password, role, quota(root));
    }

    UserChanges patch(byte[] body) {
        JsonNode root = object(body, PATCH_FIELDS);
        UserChanges changes = UserChanges.none();
        if (root.has("role")) changes = changes.withRole(role(root.get("role"), true));
        if (root.has("enabled")) {
            JsonNode enabled = root.get("enabled");
            if (!enabled.isBoolean()) throw bad("'enabled' must be true or false.");
            changes = changes.withEnabled(enabled.booleanValue());
        }
        if (root.has("dailyTokenQuota")) changes = changes.withQuota(quota(root));
        if (root.has("password")) changes = changes.withPassword(text(root, "password", true));
        if (root.has("displayName")) {
            String d = text(root, "displayName", false);
            changes = changes.withDisplayName(d == null ? "" : d); // null clears it
        }
        if (changes.isEmpty()) {
            throw bad("Nothing to change: send at least one of " + String.join(", ", sorted(PATCH_FIELDS)) + ".");
        }
        return changes;
    }

    private JsonNode object(byte[] body, Set<String> allowed) {
        JsonNode root;
        try {
            // Decoded as UTF-8 first: from bytes, Jackson would detect and accept UTF-16 and UTF-32.
            root = body == null || body.length == 0 ? null
                    : json.readTree(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            throw bad("The body is not UTF-8.");
        } catch (JsonProcessingException e) {
            throw bad("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw bad("The body must be a JSON object.");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw bad("Unknown field '" + clip(name) + "'; allowed: " + String.join(", ", sorted(allowed)) + ".");
            }
        }
        return root;
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) throw bad("'" + field + "' is required.");
            return null;
        }
        if (!node.isTextual()) throw bad("'" + field + "' must be a string.");
        return node.textValue();
    }

    private static Role role(JsonNode node, boolean required) {
        if (node == null || node.isNull()) {
            if (required) throw bad("'role' is required: USER or ADMIN.");
            return null;
        }
        if (!node.isTextual()) throw bad("'role' must be a string: USER or ADMIN.");
        try {
            return Role.valueOf(node.textValue().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("'role' must be USER or ADMIN, not '" + clip(node.textValue()) + "'.");
        }
    }

    private static Long quota(JsonNode root) {
        JsonNode node = root.get("dailyTokenQuota");
        if (node == null || node.isNull()) return null;
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw bad("'dailyTokenQuota' must be a whole number of tokens, 0 or more, or null for no limit.");
        }
        return node.longValue();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static java.util.List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    static BadRequest bad(String message) {
        return new BadRequest(message);
    }
}
