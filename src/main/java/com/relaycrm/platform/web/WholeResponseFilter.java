package com.relaycrm.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a response that fits in the buffer leave in one write, with a {@code Content-Length}. Message converters flush
 * when they finish, and a flush commits the response as chunked: a write per buffer-full, then one more for the
 * closing chunk, each a system call on both ends. So flushes are deferred while the request is handled on its own
 * thread, and the container sends the buffered body when the request ends. Once a request has gone async (SSE,
 * streamed bodies) every flush goes through at once, so events are never held back. A body larger than the buffer
 * is still sent in chunks as the buffer fills.
 */
class WholeResponseFilter extends OncePerRequestFilter {

    private final int bufferSize;

    WholeResponseFilter(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!response.isCommitted() && response.getBufferSize() < bufferSize) {
            response.setBufferSize(bufferSize);
        }
        chain.doFilter(request, new DeferredFlushResponse(request, response));
    }

    private static final class DeferredFlushResponse extends HttpServletResponseWrapper {

        private final HttpServletRequest request;
        private @Nullable ServletOutputStream stream;

        DeferredFlushResponse(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        private boolean streaming() {
            return request.isAsyncStarted();
        }

        @Override
        public void flushBuffer() throws IOException {
            if (streaming()) {
                super.flushBuffer();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream real = super.getOutputStream();
            ServletOutputStream wrapped = stream;
            if (wrapped == null) {
                wrapped = new ServletOutputStream() {
                    @Override
                    public boolean isReady() {
                        return real.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        real.setWriteListener(listener);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        real.write(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        real.write(bytes, offset, length);
                    }

                    @Override
                    public void flush() throws IOException {
                        if (streaming()) {
                            real.flush();
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        real.close();
                    }
                };
                stream = wrapped;
            }
            return wrapped;
        }
    }
}
