package com.relaycrm.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The seeds' clients post JSON without a Content-Type or as text/plain; such bodies are read as JSON.
 */
class LenientJsonContentTypeFilter extends OncePerRequestFilter {

    /**
     * The web console posts real HTML forms; sniffing their body would consume it before the container parses the
     * form parameters (CSRF token included).
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/console") || path.startsWith("/console/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (!hasBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        String lower = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (lower.isBlank() || lower.startsWith(MediaType.TEXT_PLAIN_VALUE)) {
            chain.doFilter(new JsonRequest(request, contentType, null), response);
            return;
        }
        // curl -d sends JSON labelled as a form; a body that opens like JSON is read as JSON.
        if (lower.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            PushbackInputStream body = new PushbackInputStream(request.getInputStream(), 64);
            byte[] head = new byte[64];
            int read = body.readNBytes(head, 0, head.length);
            if (read > 0) {
                body.unread(head, 0, read);
            }
            if (opensLikeJson(head, read)) {
                chain.doFilter(new JsonRequest(request, null, body), response);
                return;
            }
            chain.doFilter(new ReplayedBody(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean opensLikeJson(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            byte b = head[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    private static ServletInputStream servletStream(InputStream in) {
        return new ServletInputStream() {
            private boolean finished;

            @Override
            public int read() throws IOException {
                int b = in.read();
                finished = b < 0;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                finished = n < 0;
                return n;
            }

            @Override
            public boolean isFinished() {
                return finished;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("blocking reads only");
            }
        };
    }

    /** A form body whose first bytes were inspected: the stream replays them. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final ServletInputStream stream;

        ReplayedBody(HttpServletRequest request, InputStream body) {
            super(request);
            this.stream = servletStream(body);
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static final class JsonRequest extends HttpServletRequestWrapper {

        private final String contentType;
        private final @Nullable ServletInputStream stream;

        JsonRequest(HttpServletRequest request, @Nullable String original, @Nullable InputStream body) {
            super(request);
            this.stream = body == null ? null : servletStream(body);
            int charset =
                    original == null ? -1 : original.toLowerCase(Locale.ROOT).indexOf("charset=");
            this.contentType = MediaType.APPLICATION_JSON_VALUE
                    + (original == null || charset < 0 ? "" : ";" + original.substring(charset));
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            return stream == null ? super.getInputStream() : stream;
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
