package com.relaycrm.fieldservice.imports;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * A malformed multipart body fails before any controller runs; without this it would surface as a 500. Answers a
 * 400 problem (413 for the size limit), in the platform's problem shape.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class MultipartProblems {

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Map<String, Object>> malformedMultipart(MultipartException failure, HttpServletRequest request) {
        boolean tooLarge = failure instanceof MaxUploadSizeExceededException;
        HttpStatus status = tooLarge ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://relaycrm.com/problems/" + (tooLarge ? "payload-too-large" : "bad-request"));
        body.put("title", tooLarge ? "Payload too large" : "Bad request");
        body.put("status", status.value());
        body.put("detail", tooLarge ? "The upload exceeds the size limit"
                : "The multipart body could not be read; send the CSV in the field 'file' or as the raw body");
        body.put("instance", request.getRequestURI());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
