package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

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
        for (String section : new String[] {"inbox", "field", "imports", "github"}) {
            if (path.startsWith("/console/" + section)) {
                return section;
            }
        }
        return "home";
    }

    @ExceptionHandler(ApiProblem.class)
    String problem(ApiProblem problem, HttpServletRequest request, HttpServletResponse response, Model model) {
        String detail = problem.detail();
        if (problem.status().value() == 422 && !problem.errors().isEmpty()) {
            detail = detail + " "
                    + String.join(
                            "; ",
                            problem.errors().stream()
                                    .map(e -> e.field() + " " + e.message())
                                    .toList());
        }
        return render(request, response, model, problem.status().value(), problem.title(), detail);
    }

    @ExceptionHandler(AccessDeniedException.class)
    String denied(HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(request, response, model, 403, "Not allowed", "Your roles do not allow this action.");
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (e instanceof TypeMismatchException) {
            return render(
                    request,
                    response,
                    model,
                    400,
                    "Request not understood",
                    "A value in the address is not valid (for example a number or a date). Check it and try again.");
        }
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            return render(
                    request,
                    response,
                    model,
                    known.getStatusCode().value(),
                    "Request not understood",
                    "Check the form or the address and try again.");
        }
        log.error("Console request {} {} failed", request.getMethod(), request.getRequestURI(), e);
        return render(
                request,
                response,
                model,
                500,
                "Something went wrong",
                "The console could not complete this request. Try again; if it keeps failing, tell an admin.");
    }

    private String render(
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            int status,
            String title,
            String detail) {
        response.setStatus(status);
        model.addAttribute("me", me());
        model.addAttribute("myRoles", myRoles());
        model.addAttribute("section", section(request));
        model.addAttribute("status", status);
        model.addAttribute("errorTitle", title);
        model.addAttribute("problem", detail);
        return request.getHeader("HX-Request") != null ? "console/fragments :: problem" : "console/error";
    }
}
