package com.relaycrm.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every exception that reaches Spring MVC is written as a problem directly to the response, bypassing content
 * negotiation, so an odd {@code Accept} header cannot turn a 4xx into a 500.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemAdvice {

    private final ProblemMapper problems;

    ProblemAdvice(ProblemMapper problems) {
        this.problems = problems;
    }

    @ExceptionHandler(Throwable.class)
    void handle(Throwable failure, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted() && failure instanceof com.relaycrm.platform.Exports.ExportAborted aborted) {
            // Half a file was sent: only a broken connection tells the client (see Exports.ExportAborted).
            throw aborted;
        }
        problems.write(failure, request, response);
    }
}
