package dev.switchboard.llm.openai;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** HTTP/1.1 over a raw socket: answers with a whole SSE reply and keeps the connection, except request N. */
final class KeepAliveServer implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    /** Each request's head (request line and headers) as the upstream received it. */
    final List<String> heads = new CopyOnWriteArrayList<>();
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final int dropRequest;
    /** One reader thread: its requests share one of the upstream's pools (ConnectionShards), so a kept connection is reused. */
    private final ExecutorService readers = Executors.newSingleThreadExecutor();

    KeepAliveServer(int dropRequest) throws IOException {
        this.dropRequest = dropRequest;
        Thread t = new Thread(this::accept, "keep-alive-server");
        t.setDaemon(true);
        t.start();
    }

    /** An upstream client of this server, its reader threads ended with the server. */
    OpenAiUpstream upstream(String name) {
        return new OpenAiUpstream(name, baseUrl(), "k", null, false, OpenAiUpstream.httpClient(16), Duration.ofSeconds(2),
                Duration.ofSeconds(5), readers);
    }

    /** One chat through {@code upstream}: "completed: " and the reply, or "failed: " and why. */
    static String chat(OpenAiUpstream upstream) throws Exception {
        CompletableFuture<String> end = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        upstream.stream(new CompletionRequest("m", List.of(ChatMessage.user("hi"))), event -> {
            if (event instanceof StreamEvent.Delta d) text.append(d.text());
            if (event instanceof StreamEvent.Finished f) {
                end.complete(f.error() == null ? "completed: " + text : "failed: " + f.error().getMessage());
            }
        });
        return end.get(10, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "keep-alive-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (readRequest(in, heads)) {
                if (requests.incrementAndGet() == dropRequest) return; // closed with the request unanswered
                String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}";
                String last = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
                byte[] body = ("data: " + chunk + "\n\ndata: " + last + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /** Reads one request (headers and a Content-Length body); false at the end of the connection. */
    private static boolean readRequest(InputStream in, List<String> heads) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) break;
        }
        if (b < 0) return false;
        heads.add(head.toString(StandardCharsets.ISO_8859_1));
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        in.readNBytes(length);
        return true;
    }

    @Override
    public void close() throws IOException {
        readers.shutdownNow();
        socket.close();
    }
}
