package dev.switchboard.llm;

/** Counts the offline model's stream tokens in a text (each is a run of whitespace plus a word). */
final class OfflineModelServerTokens {
    private OfflineModelServerTokens() {}

    static int firstTokens(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*\\S+|\\s+").matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
