package com.relaycrm.platform.web;

import com.relaycrm.platform.ApiProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * JSON bodies are parsed in memory, so they are bounded (uploads have their own, larger limit): a declared length
 * over the limit is refused before reading, a chunked body is refused when it crosses it. The body is read whole
 * here, before {@link AdmissionFilter}, so a client that sends it slowly does not hold a request permit meanwhile.
 */
class JsonBodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final ProblemMapper problems;

    JsonBodyLimitFilter(long maxBytes, ProblemMapper problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).contains("json")) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > maxBytes) {
            problems.write(tooLarge(), request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (body.length > maxBytes) {
            problems.write(tooLarge(), request, response);
            return;
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    private ApiProblem tooLarge() {
        return ApiProblem.payloadTooLarge("JSON bodies are limited to " + maxBytes + " bytes");
    }

    private static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;
        private @Nullable ServletInputStream stream;
        private @Nullable BufferedReader reader;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            if (reader != null) {
                throw new IllegalStateException("getReader() has already been called for this request");
            }
            if (stream == null) {
                ByteArrayInputStream bytes = new ByteArrayInputStream(body);
                stream = new ServletInputStream() {
                    @Override
                    public int read() {
                        return bytes.read();
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) {
                        return bytes.read(buffer, offset, length);
                    }

                    @Override
                    public boolean isFinished() {
                        return bytes.available() == 0;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        throw new UnsupportedOperationException("JSON bodies are read in blocking mode");
                    }
                };
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws UnsupportedEncodingException {
            if (stream != null) {
                throw new IllegalStateException("getInputStream() has already been called for this request");
            }
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : charset(encoding);
                reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
            }
            return reader;
        }

        private static Charset charset(String name) throws UnsupportedEncodingException {
            try {
                return Charset.forName(name);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedEncodingException(name);
            }
        }
    }
}
