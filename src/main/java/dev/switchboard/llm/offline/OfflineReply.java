package dev.switchboard.llm.offline;

import dev.switchboard.llm.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The deterministic markdown reply of the offline model, and its split into stream tokens. */
final class OfflineReply {
    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+|\\s+");

    private OfflineReply() {}

    static String compose(String model, List<ChatMessage> messages) {
        List<ChatMessage> users = messages.stream().filter(m -> m.role() == ChatMessage.Role.USER).toList();
        String first = users.isEmpty() ? "" : users.get(0).content();
        String last = users.isEmpty() ? "" : users.get(users.size() - 1).content();
        int turn = users.size();
        StringBuilder sb = new StringBuilder();
        sb.append("**Offline model** here: no upstream is connected, so this reply is generated locally.\n\n");
        sb.append("This is turn **").append(turn).append("** of our conversation. ");
        sb.append("You began with: \"").append(quote(first)).append("\"");
        if (turn > 1) sb.append(", and just said: \"").append(quote(last)).append("\"");
        sb.append(".\n\n");
        sb.append("To talk to a real model:\n\n");
        sb.append("1. Set `AGENT_ROUTER_API_KEY` to use Tetrate Agent Router, or\n");
        sb.append("2. list OpenAI-compatible upstreams under `switchboard.upstreams[i]` (`name`, `base-url`, `api-key`).\n\n");
        sb.append("_Requested model: `").append(model).append("`._");
        return sb.toString();
    }

    /** Keeps the quote short and free of characters that would break the markdown around it. */
    private static String quote(String s) {
        String flat = s.replaceAll("[\\r\\n]+", " ").replace("\"", "'").replace("`", "'").strip();
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    static List<String> synthetic(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(i == 0 ? "tok" + i : " tok" + i);
        return out;
    }
}
