package com.relaycrm.platform.web;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.FieldError;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.BindException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns any failure into an RFC 9457 body. The body never carries exception messages from libraries, SQL or class
 * names: only texts written for clients.
 */
@Component
public class ProblemMapper {

    private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);
    static final String TYPE_BASE = "https://relaycrm.com/problems/";

    private final JsonMapper json;

    ProblemMapper(JsonMapper json) {
        this.json = json;
    }

    public void write(Throwable failure, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (failure instanceof AsyncRequestNotUsableException) {
            return;
        }
        write(toProblem(failure, request), request, response);
    }

    public void write(ApiProblem problem, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status().value());
        problem.headers().forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(body(problem, request)));
    }

    public Map<String, Object> body(ApiProblem problem, HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail());
        if (request != null) {
            body.put("instance", request.getRequestURI());
        }
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        body.putAll(problem.properties());
        String requestId = MDC.get(RequestLogFilter.MDC_KEY);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return body;
    }

    ApiProblem toProblem(Throwable failure, HttpServletRequest request) {
        return switch (failure) {
            case ApiProblem problem -> problem;
            case HttpMessageNotReadableException unreadable -> unreadable(unreadable);
            case JacksonException jackson -> fromJackson(jackson);
            case BindException bind ->
                ApiProblem.invalid(bind.getFieldErrors().stream()
                        .map(e -> new FieldError(snake(e.getField()), String.valueOf(e.getDefaultMessage())))
                        .toList());
            case HandlerMethodValidationException validation ->
                ApiProblem.invalid(validation.getParameterValidationResults().stream()
                        .flatMap(r -> r.getResolvableErrors().stream()
                                .map(e -> new FieldError(
                                        snake(String.valueOf(
                                                r.getMethodParameter().getParameterName())),
                                        String.valueOf(e.getDefaultMessage()))))
                        .toList());
            case ConstraintViolationException violations ->
                ApiProblem.invalid(violations.getConstraintViolations().stream()
                        .map(v -> new FieldError(
                                snake(lastNode(v.getPropertyPath().toString())), v.getMessage()))
                        .toList());
            case TypeMismatchException mismatch ->
                ApiProblem.badParameter(
                        String.valueOf(mismatch.getPropertyName()), "must be " + describe(mismatch.getRequiredType()));
            case MissingServletRequestParameterException missing ->
                ApiProblem.badParameter(missing.getParameterName(), "is required");
            case InvalidParameterException badEncoding ->
                ApiProblem.badRequest("The query string or form is not valid UTF-8 (or has too many parameters)");
            case NumberFormatException outOfRange -> ApiProblem.badRequest("A number in the request is out of range");
            case MaxUploadSizeExceededException tooLarge ->
                ApiProblem.payloadTooLarge("The upload exceeds the size limit");
            case MultipartException malformed ->
                ApiProblem.badRequest(
                        "The multipart body could not be read; send the file in the field 'file' or as the raw body");
            case ServletException wrapper when wrapper.getCause() != null -> toProblem(wrapper.getCause(), request);
            case ErrorResponse spring -> fromErrorResponse(spring);
            case AuthenticationException unauthenticated ->
                ApiProblem.unauthorized("A valid API token is required").header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            case AccessDeniedException denied -> ApiProblem.forbidden("Your token's roles do not allow this");
            case CannotGetJdbcConnectionException _,
                    CannotCreateTransactionException _,
                    DataAccessResourceFailureException _,
                    QueryTimeoutException _ -> {
                log.warn(
                        "Database unavailable while serving {} {}: {}",
                        request.getMethod(),
                        request.getRequestURI(),
                        failure.getClass().getSimpleName());
                yield ApiProblem.of(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "unavailable",
                                "Service unavailable",
                                "The database is unavailable; try again shortly")
                        .header("Retry-After", "5");
            }
            case DataIntegrityViolationException conflict -> {
                log.warn(
                        "Unhandled integrity violation on {} {}",
                        request.getMethod(),
                        request.getRequestURI(),
                        conflict);
                yield ApiProblem.conflict("The request conflicts with existing data");
            }
            case ConcurrencyFailureException concurrent ->
                ApiProblem.conflict("The record was changed concurrently; retry the request");
            default -> {
                log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), failure);
                yield ApiProblem.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal",
                        "Internal error",
                        "An unexpected error occurred; it has been logged");
            }
        };
    }

    private ApiProblem unreadable(HttpMessageNotReadableException unreadable) {
        Throwable cause = unreadable.getCause();
        if (cause instanceof JacksonException jackson) {
            return fromJackson(jackson);
        }
        String message = String.valueOf(unreadable.getMessage());
        if (message.startsWith("Required request body is missing")) {
            return ApiProblem.badRequest("Request body is missing");
        }
        return ApiProblem.badRequest("Request body could not be read");
    }

    private ApiProblem fromJackson(JacksonException jackson) {
        if (jackson instanceof StreamConstraintsException) {
            return ApiProblem.badRequest("JSON exceeds a size limit (nesting depth, number or string length)");
        }
        if (jackson instanceof StreamReadException read) {
            var location = read.getLocation();
            String where =
                    location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return ApiProblem.badRequest("Malformed JSON" + where);
        }
        if (jackson instanceof DatabindException databind) {
            String path = path(databind);
            if (databind instanceof tools.jackson.databind.exc.UnrecognizedPropertyException) {
                return ApiProblem.invalid(path, "is not a known field");
            }
            if (databind instanceof tools.jackson.databind.exc.InvalidFormatException format) {
                return ApiProblem.invalid(path, "has an invalid value for " + describe(format.getTargetType()));
            }
            if (databind instanceof tools.jackson.databind.exc.MismatchedInputException mismatch) {
                return ApiProblem.invalid(path, "must be " + describe(mismatch.getTargetType()));
            }
            return ApiProblem.invalid(path, "is invalid");
        }
        return ApiProblem.badRequest("Malformed JSON");
    }

    private static String path(DatabindException databind) {
        StringBuilder path = new StringBuilder();
        for (var reference : databind.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private ApiProblem fromErrorResponse(ErrorResponse spring) {
        HttpStatus status = HttpStatus.resolve(spring.getStatusCode().value());
        if (status == null) {
            status = HttpStatus.BAD_REQUEST;
        }
        String detail = switch (status) {
            case NOT_FOUND -> "No resource at this path";
            case METHOD_NOT_ALLOWED -> "This method is not supported here";
            case UNSUPPORTED_MEDIA_TYPE -> "This content type is not supported here";
            case NOT_ACCEPTABLE -> "No acceptable representation";
            case CONTENT_TOO_LARGE -> "The request body is too large";
            default ->
                spring.getBody().getDetail() == null
                        ? status.getReasonPhrase()
                        : spring.getBody().getDetail();
        };
        ApiProblem problem = ApiProblem.of(status, slug(status), status.getReasonPhrase(), detail);
        spring.getHeaders().forEach((name, values) -> problem.header(name, String.join(", ", values)));
        return problem;
    }

    static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return "one of " + String.join(", ", names);
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return type == Integer.class || type == int.class || type == Long.class || type == long.class
                    ? "an integer"
                    : "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date or time";
        }
        return "a valid " + snake(type.getSimpleName()).replace('_', ' ');
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    static String snake(String name) {
        if (name == null) {
            return "body";
        }
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
