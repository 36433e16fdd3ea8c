package com.relaycrm.platform.web;

import com.relaycrm.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised outside Spring MVC (the servlet container, filters) arrive here and leave as problems too. */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

    private final ProblemMapper problems;

    ProblemErrorController(ProblemMapper problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable throwable) {
            problems.write(throwable, request, response);
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value)
                : HttpStatus.NOT_FOUND;
        String detail = switch (status) {
            case CONTENT_TOO_LARGE -> "The request body is too large";
            case BAD_REQUEST -> "The request could not be understood";
            case NOT_FOUND -> "No resource at this path";
            default -> status.getReasonPhrase();
        };
        problems.write(
                ApiProblem.of(status, ProblemMapper.slug(status), status.getReasonPhrase(), detail), request, response);
    }
}
