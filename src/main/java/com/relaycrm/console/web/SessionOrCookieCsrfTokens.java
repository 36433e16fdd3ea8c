package com.relaycrm.console.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * CSRF tokens in the console session once there is one, and in a cookie (double submit) before sign-in. Keeping the
 * sign-in form's token in a session made every anonymous visit to {@code /console/signin} store a session row; now a
 * session is stored only by a successful sign-in.
 */
final class SessionOrCookieCsrfTokens implements CsrfTokenRepository {

    static final String COOKIE = "relay_console_csrf";

    private final HttpSessionCsrfTokenRepository sessions = new HttpSessionCsrfTokenRepository();
    private final CookieCsrfTokenRepository cookies = new CookieCsrfTokenRepository();

    SessionOrCookieCsrfTokens() {
        cookies.setCookieName(COOKIE);
        cookies.setCookiePath("/console");
        cookies.setCookieCustomizer(cookie -> cookie.httpOnly(true).sameSite("Strict"));
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return sessions.generateToken(request);
    }

    @Override
    public void saveToken(@Nullable CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            sessions.saveToken(token, request, response);
            if (token == null) {
                cookies.saveToken(null, request, response);
            }
        } else {
            cookies.saveToken(token, request, response);
        }
    }

    @Override
    public @Nullable CsrfToken loadToken(HttpServletRequest request) {
        return request.getSession(false) != null ? sessions.loadToken(request) : cookies.loadToken(request);
    }
}
