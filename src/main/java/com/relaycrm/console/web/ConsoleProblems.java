package com.relaycrm.console.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.util.HtmlUtils;

/**
 * Console URLs answer browsers with HTML and everyone else (API clients, curl, scripts without HX-Request) with the
 * platform's RFC 9457 problem shape, so a console path never surprises an API client with a page.
 */
final class ConsoleProblems {

    private ConsoleProblems() {}

    /** Browsers navigating or submitting a form send Accept: text/html; fetch, curl and API clients do not. */
    static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
    }

    static boolean htmx(HttpServletRequest request) {
        return request.getHeader("HX-Request") != null;
    }

    static void write(HttpServletResponse response, int status, String type, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"https://relaycrm.com/problems/" + type + "\",\"title\":" + json(title)
                        + ",\"status\":" + status + ",\"detail\":" + json(detail) + "}");
    }

    /**
     * For code outside Spring MVC (security and filters), where the error template cannot be rendered: an htmx
     * request gets the message fragment, a browser a small page with the console's style, anyone else the problem.
     */
    static void respond(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String type,
            String title,
            String detail)
            throws IOException {
        if (!htmx(request) && !wantsHtml(request)) {
            write(response, status, type, title, detail);
            return;
        }
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (htmx(request)) {
            response.getWriter().write("<p class=\"problem\" role=\"alert\">" + HtmlUtils.htmlEscape(detail) + "</p>");
            return;
        }
        response.getWriter()
                .write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                        + HtmlUtils.htmlEscape(title) + " - Relay</title>"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head>"
                        + "<body><main class=\"narrow\"><h1>" + HtmlUtils.htmlEscape(title)
                        + "</h1><p class=\"problem\" role=\"alert\">" + HtmlUtils.htmlEscape(detail)
                        + "</p><p><a href=\"/console\">Back to the console</a></p></main></body></html>");
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
