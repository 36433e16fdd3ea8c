package com.relaycrm.platform.web;

import com.relaycrm.platform.RequestAdmission;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts each request through {@link RequestAdmission} before security (whose token check is database work). Two
 * kinds go straight through: health and metrics, which must answer when the gate is full, and uploads to the import
 * routes, whose body still streams from the client, because a slow sender would hold a permit while the cores idle. JSON
 * bodies are read into memory before this filter, so they count only once they have arrived.
 */
class AdmissionFilter extends OncePerRequestFilter {

    private final RequestAdmission admission;
    private final ProblemMapper problems;

    AdmissionFilter(RequestAdmission admission, ProblemMapper problems) {
        this.admission = admission;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/health")
                || path.startsWith("/health/")
                || path.startsWith("/actuator/")
                || streamsBody(request);
    }

    /**
     * Only the upload routes stream their body while they work. Any other route with a non-JSON Content-Type used to
     * go through too, so labelling a request {@code application/xml} was a way around the gate.
     */
    private static boolean streamsBody(HttpServletRequest request) {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        String type = request.getContentType();
        return hasBody
                && (type == null || !type.toLowerCase(Locale.ROOT).contains("json"))
                && MultipartGateFilter.isUploadRoute(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admission.admit()) {
            problems.write(RequestAdmission.busy(), request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            // An SSE stream returns here once it has started; its events are sent later without a permit.
            admission.release();
        }
    }
}
