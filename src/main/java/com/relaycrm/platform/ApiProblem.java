package com.relaycrm.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A failure that maps to one RFC 9457 problem response. Modules throw it; the platform renders it as
 * {@code application/problem+json}.
 */
public class ApiProblem extends RuntimeException {

    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("type", "title", "status", "detail", "instance", "errors", "request_id");

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, @Nullable Object> properties = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(HttpStatus status, String type, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badRequest(String detail, FieldError... errors) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail, List.of(errors));
    }

    public static ApiProblem badParameter(String parameter, String message) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST,
                "invalid-parameter",
                "Invalid parameter",
                "Parameter '" + parameter + "' " + message,
                List.of(new FieldError(parameter, message)));
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? "Field '" + errors.getFirst().field() + "' "
                        + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "validation", "Validation failed", detail, errors);
    }

    public static ApiProblem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of());
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of());
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, List.of());
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, List.of());
    }

    public static ApiProblem preconditionFailed(String detail) {
        return new ApiProblem(
                HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", detail, List.of());
    }

    public static ApiProblem payloadTooLarge(String detail) {
        return new ApiProblem(
                HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large", detail, List.of());
    }

    public static ApiProblem tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", detail, List.of())
                .header("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    public static ApiProblem of(HttpStatus status, String type, String title, String detail) {
        return new ApiProblem(status, type, title, detail, List.of());
    }

    /** Adds a member to the problem body, for example {@code existing_id} on a conflict. */
    public ApiProblem with(String property, @Nullable Object value) {
        if (RESERVED.contains(property)) {
            throw new IllegalArgumentException("'" + property + "' is a standard problem member");
        }
        properties.put(property, value);
        return this;
    }

    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        // Every factory passes a detail; the superclass only types it as nullable.
        return java.util.Objects.requireNonNullElse(getMessage(), title);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, @Nullable Object> properties() {
        return properties;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
