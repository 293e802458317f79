package dev.coe.router.chat;

import dev.coe.router.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit. A body over the limit gets 413 as soon as the limit is
 * crossed (or at once, from {@code Content-Length}), so an oversized upload never fills the heap.
 */
final class RequestBodyReader {

    private final long limit;

    RequestBodyReader(long limit) {
        this.limit = limit;
    }

    byte[] read(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body;
            try {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            } catch (IOException unreadable) {
                // A broken chunked encoding or a client that stopped sending: its mistake, said as a 400 (Tomcat's
                // own exception for it is an IOException too, and would otherwise surface as an internal error).
                throw ApiException.invalidRequest(null, "The request body could not be read: " + unreadable.getMessage());
            }
            if (body.length > limit) {
                throw tooLarge(-1);
            }
            if (body.length == 0) {
                throw ApiException.invalidRequest(null, "The request body is empty; send a JSON object.");
            }
            return body;
        }
    }

    private ApiException tooLarge(long size) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "invalid_request_error", "request_too_large", null,
                "The request body " + (size > 0 ? "(" + size + " bytes) " : "") + "is larger than this router's limit of "
                        + limit + " bytes (coe.max-request-size).", null);
    }
}
