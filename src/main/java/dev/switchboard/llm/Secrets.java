package dev.switchboard.llm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text an upstream wrote (its error bodies may echo the request's headers) before the text is
 * logged, stored or shown to an admin: the upstream's own key, any {@code Bearer …} credential and any
 * {@code sk-…}-like key.
 */
public final class Secrets {
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{4,}");
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|pk|rk|key|tok)[-_][A-Za-z0-9_-]{6,}");
    private static final String MASK = "***";

    private Secrets() {}

    /** {@code text} with {@code key} (when at least 4 characters) and every credential-like word masked. */
    public static String mask(String text, String key) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        if (key != null && key.length() >= 4) out = out.replace(key, MASK);
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
        return KEY_LIKE.matcher(out).replaceAll(MASK);
    }
}
