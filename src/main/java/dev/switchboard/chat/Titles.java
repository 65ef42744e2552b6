package dev.switchboard.chat;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/** Conversation titles: plain text (the markdown of the first message rendered as text), on one line, short. */
final class Titles {
    static final int MAX_CHARS = 48;
    static final String NEW = "New chat";
    private static final Parser PARSER = Parser.builder().build();

    private Titles() {}

    static String fromMessage(String markdown) {
        StringBuilder plain = new StringBuilder();
        PARSER.parse(markdown == null ? "" : markdown).accept(new AbstractVisitor() {
            @Override public void visit(Text t) { plain.append(t.getLiteral()); }
            @Override public void visit(Code c) { plain.append(c.getLiteral()); }
            @Override public void visit(FencedCodeBlock c) { plain.append(' ').append(c.getLiteral()); }
            @Override public void visit(IndentedCodeBlock c) { plain.append(' ').append(c.getLiteral()); }
            @Override public void visit(SoftLineBreak b) { plain.append(' '); }
            @Override public void visit(HardLineBreak b) { plain.append(' '); }
            @Override protected void visitChildren(Node parent) {
                super.visitChildren(parent);
                if (parent.getNext() != null && parent.getFirstChild() != null) plain.append(' '); // between blocks
            }
        });
        return clip(plain.toString(), MAX_CHARS);
    }

    /** A title a user typed: one line, trimmed, clipped; blank becomes {@link #NEW}. */
    static String clip(String text, int max) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        if (flat.isEmpty()) return NEW;
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
