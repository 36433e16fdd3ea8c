package com.relaycrm.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The seeds' clients post JSON without a Content-Type or as text/plain; such bodies are read as JSON.
 */
class LenientJsonContentTypeFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (hasBody(request)
                && (contentType == null
                        || contentType.isBlank()
                        || contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.TEXT_PLAIN_VALUE))) {
            chain.doFilter(new JsonRequest(request, contentType), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static final class JsonRequest extends HttpServletRequestWrapper {

        private final String contentType;

        JsonRequest(HttpServletRequest request, String original) {
            super(request);
            int charset =
                    original == null ? -1 : original.toLowerCase(Locale.ROOT).indexOf("charset=");
            this.contentType =
                    MediaType.APPLICATION_JSON_VALUE + (charset < 0 ? "" : ";" + original.substring(charset));
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? contentType : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(contentType))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            java.util.List<String> names = Collections.list(super.getHeaderNames());
            if (names.stream().noneMatch(HttpHeaders.CONTENT_TYPE::equalsIgnoreCase)) {
                names.add(HttpHeaders.CONTENT_TYPE);
            }
            return Collections.enumeration(names);
        }
    }
}
