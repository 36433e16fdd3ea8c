package com.relaycrm.platform.web;

import com.relaycrm.platform.ApiProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Multipart bodies are parsed to disk by the container as soon as anything asks for a request parameter (a CSRF
 * check, a {@code @RequestParam}), which for any other route would let a caller make Relay store a large upload
 * before it is even authenticated. Only the two import routes take multipart; everywhere else it is a 415 before any
 * byte of the body is read.
 */
class MultipartGateFilter extends OncePerRequestFilter {

    /** {@code POST /api/v1/atendimento/import_csv} and the console's upload form. */
    static final Set<String> UPLOAD_ROUTES = Set.of("/api/v1/atendimento/import_csv", "/console/imports");

    private final ProblemMapper problems;

    MultipartGateFilter(ProblemMapper problems) {
        this.problems = problems;
    }

    static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    static boolean isUploadRoute(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && UPLOAD_ROUTES.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isMultipart(request) && !isUploadRoute(request)) {
            problems.write(
                    ApiProblem.of(
                            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "unsupported-media-type",
                            "Unsupported media type",
                            "Multipart bodies are accepted only by POST /api/v1/atendimento/import_csv and the"
                                    + " console's import form"),
                    request,
                    response);
            return;
        }
        chain.doFilter(request, response);
    }
}
