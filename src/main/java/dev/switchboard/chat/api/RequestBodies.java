package dev.switchboard.chat.api;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Reads a request body of at most 1 MB for the chat routes; each route words the refusal in its own error shape. */
final class RequestBodies {
    static final int MAX_BYTES = 1024 * 1024;

    private RequestBodies() {}

    static byte[] read(HttpServletRequest request, Supplier<? extends RuntimeException> tooLarge) throws IOException {
        if (request.getContentLengthLong() > MAX_BYTES) throw tooLarge.get();
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw tooLarge.get();
            return bytes;
        }
    }
}
