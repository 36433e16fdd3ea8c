package com.relaycrm.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per request with its id, method, path (never the query string, which may hold secrets), status and
 * duration. The id comes from {@code X-Request-Id} when it is safe to echo, else it is generated.
 */
class RequestLogFilter extends OncePerRequestFilter {

    static final String MDC_KEY = "request_id";
    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger("relay.requests");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String offered = request.getHeader(HEADER);
        String requestId = offered != null && SAFE_ID.matcher(offered).matches()
                ? offered
                : UUID.randomUUID().toString();
        MDC.put(MDC_KEY, requestId);
        response.setHeader(HEADER, requestId);
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long micros = (System.nanoTime() - started) / 1_000;
            if (!request.isAsyncStarted()) {
                log.info(
                        "{} {} {} {}.{} ms",
                        request.getMethod(),
                        request.getRequestURI(),
                        response.getStatus(),
                        micros / 1000,
                        String.format("%03d", micros % 1000));
            }
            MDC.remove(MDC_KEY);
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }
}
