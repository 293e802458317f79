package dev.coe.router.system;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's last word on an error that nothing else answered, typically a request Tomcat refuses before it reaches the
 * application (an encoded {@code /} or a NUL in the path, a malformed request line or header). Tomcat's own valve
 * writes an HTML page there; this one writes {@link ContainerErrors}' JSON. Errors that already have a body are left
 * alone, as Tomcat's valve does.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String path = request.getDecodedRequestURI() == null ? request.getRequestURI() : request.getDecodedRequestURI();
        ContainerErrors error = ContainerErrors.of(path, status, response.getMessage());
        try {
            response.setContentType(error.contentType().toString());
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(error.body()));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // The client is gone or the response was committed meanwhile; nothing more can be said.
        }
    }
}
