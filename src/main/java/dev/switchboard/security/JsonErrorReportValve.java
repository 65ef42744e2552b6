package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report (the Host's valve), in the API's JSON for a request under {@code /api} or {@code /v1}, else
 * Tomcat's plain page without details. It renders what Tomcat refuses before the application sees the request: an
 * unreadable request line or path ({@code %2f}, {@code %00}, {@code %5c}, raw bytes, {@code |}), headers that are too
 * large, too many or malformed (control characters). Errors the application sees go to {@code /error} instead
 * ({@link ApiErrorPages}). The path is the request's as sent, before decoding (all Tomcat may have read). A request
 * line Tomcat could not read at all ({@code |} or raw non-ASCII bytes in the path, no method) has no path: it gets
 * the /api body too, as no browser sends such a request.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    private final ObjectMapper json = new ObjectMapper();

    public JsonErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String path = request.getCoyoteRequest().requestURI().toString(); // null: the request line was unreadable
        if (path != null && !ApiErrorBodies.isApi(path)) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) return;
        try {
            String body = json.writeValueAsString(ApiErrorBodies.of(path == null ? "/api" : path, status));
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot be written: nothing to report to
        }
    }
}
