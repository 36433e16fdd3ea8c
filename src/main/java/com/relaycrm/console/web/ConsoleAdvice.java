package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * Shared model for every console page (the signed-in actor, the current section for the navigation) and readable
 * error pages: an {@link ApiProblem} shows its title and detail, anything unexpected a plain page without internals.
 * htmx requests get the message as a fragment for the page's message area.
 */
@ControllerAdvice(basePackages = "com.relaycrm.console")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    @ModelAttribute("me")
    @Nullable
    Actor me() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Actor actor ? actor : null;
    }

    @ModelAttribute("myRoles")
    String myRoles() {
        Actor me = me();
        return me == null
                ? ""
                : String.join(", ", me.roles().stream().map(Enum::name).sorted().toList());
    }

    @ModelAttribute("section")
    String section(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path.startsWith("/console/pipeline")
                || path.startsWith("/console/leads")
                || path.startsWith("/console/customers")
                || path.startsWith("/console/employees")) {
            return "pipeline";
        }
        for (String section : new String[] {"inbox", "field", "imports", "github", "webhooks"}) {
            if (path.startsWith("/console/" + section)) {
                return section;
            }
        }
        return "home";
    }

    @ExceptionHandler(ApiProblem.class)
    @Nullable
    ModelAndView problem(ApiProblem problem, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String detail = problem.detail();
        if (problem.status().value() == 422 && !problem.errors().isEmpty()) {
            detail = detail + " "
                    + String.join(
                            "; ",
                            problem.errors().stream()
                                    .map(e -> e.field() + " " + e.message())
                                    .toList());
        }
        return render(request, response, problem.status().value(), problem.type(), problem.title(), detail);
    }

    @ExceptionHandler(AccessDeniedException.class)
    @Nullable
    ModelAndView denied(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return render(request, response, 403, "forbidden", "Not allowed", "Your roles do not allow this action.");
    }

    @ExceptionHandler(Exception.class)
    @Nullable
    ModelAndView unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (e instanceof TypeMismatchException || e instanceof InvalidParameterException) {
            return render(
                    request,
                    response,
                    400,
                    "bad-request",
                    "Request not understood",
                    "A value in the address is not valid (for example a number or a date). Check it and try again.");
        }
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            return render(
                    request,
                    response,
                    known.getStatusCode().value(),
                    "bad-request",
                    "Request not understood",
                    "Check the form or the address and try again.");
        }
        log.error("Console request {} {} failed", request.getMethod(), request.getRequestURI(), e);
        return render(
                request,
                response,
                500,
                "internal-error",
                "Something went wrong",
                "The console could not complete this request. Try again; if it keeps failing, tell an admin.");
    }

    /**
     * A page (or an htmx fragment) for browsers; the problem JSON for other clients. Returning null tells Spring
     * MVC the response is already written.
     */
    private @Nullable ModelAndView render(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String type,
            String title,
            String detail)
            throws IOException {
        boolean htmx = ConsoleProblems.htmx(request);
        if (!htmx && !ConsoleProblems.wantsHtml(request)) {
            ConsoleProblems.write(response, status, type, title, detail);
            return null;
        }
        ModelAndView page = new ModelAndView(htmx ? "console/fragments :: problem" : "console/error");
        page.setStatus(HttpStatusCode.valueOf(status));
        page.addObject("me", me());
        page.addObject("myRoles", myRoles());
        page.addObject("section", section(request));
        page.addObject("status", status);
        page.addObject("errorTitle", title);
        page.addObject("problem", detail);
        return page;
    }
}
