package dev.coe.router.admin;

import org.springframework.http.HttpStatus;

import java.util.List;

/**
 * A request to the admin API that cannot be carried out, already in HTTP terms; {@link AdminProblemAdvice} writes it
 * as an RFC 9457 problem detail. Immutable.
 */
abstract sealed class AdminException extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    AdminException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    HttpStatus status() {
        return status;
    }

    String title() {
        return title;
    }

    /** Short name used in the problem's type URI, {@code urn:coe:problem:<slug>}. */
    abstract String slug();

    /** 422: the configuration (or the change to it) breaks a rule; every broken rule is listed. */
    static final class InvalidConfig extends AdminException {
        private final List<FieldError> errors;

        InvalidConfig(List<FieldError> errors) {
            this("Invalid routing configuration", errors);
        }

        /** @param title what was invalid, e.g. "Invalid client key" */
        InvalidConfig(String title, List<FieldError> errors) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, title,
                    errors.size() + " problem(s): " + errors.getFirst().message() + (errors.size() > 1 ? "; ..." : ""));
            this.errors = List.copyOf(errors);
        }

        static InvalidConfig of(String field, String code, String message) {
            return new InvalidConfig(List.of(new FieldError(field, code, message)));
        }

        List<FieldError> errors() {
            return errors;
        }

        @Override
        String slug() {
            return "invalid-config";
        }
    }

    /** 409: the change was based on a version that is no longer live; nothing was saved. */
    static final class Conflict extends AdminException {
        private final long live;

        Conflict(String detail, long live) {
            super(HttpStatus.CONFLICT, "Stale version", detail);
            this.live = live;
        }

        long live() {
            return live;
        }

        @Override
        String slug() {
            return "stale-version";
        }
    }

    /** 409: the client key was revoked, and a revoked key stays as it was. */
    static final class KeyRevoked extends AdminException {
        KeyRevoked(String id) {
            super(HttpStatus.CONFLICT, "Key revoked", "client key '" + id + "' was revoked and cannot be changed; create a new key");
        }

        @Override
        String slug() {
            return "key-revoked";
        }
    }

    /** 428: a change of the live configuration came without {@code If-Match}. */
    static final class PreconditionRequired extends AdminException {
        PreconditionRequired() {
            super(HttpStatus.PRECONDITION_REQUIRED, "If-Match required",
                    "Send If-Match with the ETag of the live version (GET /admin/api/config), or * to overwrite whatever is live");
        }

        @Override
        String slug() {
            return "if-match-required";
        }
    }

    /** 404: no version, category, rule or expert by that name. */
    static final class NotFound extends AdminException {
        NotFound(String detail) {
            super(HttpStatus.NOT_FOUND, "Not found", detail);
        }

        @Override
        String slug() {
            return "not-found";
        }
    }

    /** 400: the request itself is malformed (not the configuration it describes). */
    static final class BadRequest extends AdminException {
        BadRequest(String detail) {
            super(HttpStatus.BAD_REQUEST, "Bad request", detail);
        }

        @Override
        String slug() {
            return "bad-request";
        }
    }

    /** 503: the router cannot do it right now (the classifier is busy with more traffic than it carries); retry. */
    static final class Unavailable extends AdminException {
        Unavailable(String detail) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail);
        }

        @Override
        String slug() {
            return "unavailable";
        }
    }
}
