package dev.coe.router.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}), in place of Spring Boot's, which answers
 * {@code {"timestamp", "status", "error", "path"}}. Tomcat sends a request here when the application gave up on it
 * before a controller could answer, for example a body whose chunked encoding breaks off: Tomcat marks the response
 * as failed itself, so whatever the handler writes is dropped and only the error page speaks.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ContainerErrors error;
        int status;
        if (code == null) {
            // Asked for by name, not sent here by the container: there is no such endpoint for a client.
            status = 404;
            error = ContainerErrors.of(request.getRequestURI(), status, "No endpoint " + request.getRequestURI());
        } else {
            status = code instanceof Integer i && i >= 400 ? i : 500;
            Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            error = ContainerErrors.of(path == null ? request.getRequestURI() : path.toString(), status,
                    message == null ? null : message.toString());
        }
        return ResponseEntity.status(status).contentType(error.contentType()).body(error.body());
    }
}
