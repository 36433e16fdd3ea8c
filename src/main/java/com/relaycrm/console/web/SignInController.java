package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.TokenCheck;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Sign-in with a pasted API token, the landing page, and {@code /} (sign-out is Spring Security's logout). */
@Controller
class SignInController {

    private static final int MAX_TOKEN_LENGTH = 512;

    private final TokenCheck tokens;

    SignInController(TokenCheck tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/")
    String root() {
        return "redirect:/console";
    }

    @GetMapping("/console")
    String home() {
        return "console/home";
    }

    @GetMapping(ConsoleSecurity.SIGN_IN)
    String signInForm(HttpServletRequest request, Model model) {
        if (signedIn()) {
            return "redirect:/console";
        }
        if (request.getParameter("revoked") != null) {
            model.addAttribute("notice", "Your API token was revoked, so your console session has ended.");
        } else if (request.getParameter("signed_out") != null) {
            model.addAttribute("notice", "You are signed out.");
        }
        return "console/signin";
    }

    @PostMapping(ConsoleSecurity.SIGN_IN)
    String signIn(
            @RequestParam(name = "token", required = false) @Nullable String token,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        String secret = token == null ? "" : token.strip();
        Optional<Actor> actor =
                secret.isEmpty() || secret.length() > MAX_TOKEN_LENGTH ? Optional.empty() : tokens.authenticate(secret);
        if (actor.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute(
                    "problem",
                    secret.isEmpty()
                            ? "Paste an API token to sign in."
                            : "That token is unknown or revoked. Ask an admin for a new one.");
            return "console/signin";
        }
        ConsoleSession.start(request, actor.get());
        return "redirect:/console";
    }

    private static boolean signedIn() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null
                && !(authentication instanceof AnonymousAuthenticationToken)
                && authentication.getPrincipal() instanceof Actor;
    }
}
