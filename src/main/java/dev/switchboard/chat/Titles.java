package dev.switchboard.chat;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/** Conversation titles: plain text (the markdown of the first message rendered as text), on one line, short. */
final class Titles {
    static final int MAX_CHARS = 48;
    static final String NEW = "New chat";
    private static final Parser PARSER = Parser.builder().build();
    private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

    private Titles() {}

    static String fromMessage(String markdown) {
        String plain = TEXT.render(PARSER.parse(markdown == null ? "" : markdown));
        return clip(plain, MAX_CHARS);
    }

    /** A title a user typed: one line, trimmed, clipped; blank becomes {@link #NEW}. */
    static String clip(String text, int max) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        if (flat.isEmpty()) return NEW;
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
