package dev.switchboard.chat;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words a message is found by: runs of letters and digits, lower-cased, at most {@link #MAX_LENGTH} characters
 * (a longer word is kept by its beginning, which a search matches as a prefix).
 */
final class SearchTerms {
    static final int MAX_LENGTH = 32;

    private SearchTerms() {}

    static Set<String> of(String text) {
        Set<String> terms = new LinkedHashSet<>();
        if (text == null) return terms;
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
            if (word && start < 0) start = i;
            if (!word && start >= 0) {
                String t = text.substring(start, Math.min(i, start + MAX_LENGTH)).toLowerCase(Locale.ROOT);
                terms.add(t.length() > MAX_LENGTH ? t.substring(0, MAX_LENGTH) : t);
                start = -1;
            }
        }
        return terms;
    }
}
