package com.relaycrm.console.github;

import com.relaycrm.console.web.ConsoleRoutes;
import com.relaycrm.gistwatch.GistWatchApi;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Role;
import com.relaycrm.profiles.ProfilesApi;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Watched GitHub users, their latest gists with the deal-sync state, and the merged GitHub + Bitbucket profile
 * lookup. Role rules are the API's: SALES or ADMIN change the watch list and build profiles; anyone signed in reads.
 */
@Controller
@RequestMapping("/console/github")
class GitHubPages {

    static final int GISTS_SHOWN = 25;

    private final GistWatchApi gistWatch;
    private final ProfilesApi profiles;

    GitHubPages(GistWatchApi gistWatch, ProfilesApi profiles) {
        this.gistWatch = gistWatch;
        this.profiles = profiles;
    }

    @Bean
    static ConsoleRoutes githubRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.POST, "/console/github/watched", "/console/github/profile")
                .hasAnyRole("SALES", "ADMIN")
                .requestMatchers(HttpMethod.DELETE, "/console/github/watched/*")
                .hasAnyRole("SALES", "ADMIN");
    }

    @GetMapping
    String page(Model model) {
        watched(model);
        model.addAttribute("gists", gistWatch.recentGists(GISTS_SHOWN));
        return "console/github/page";
    }

    @GetMapping("/gists")
    String gists(Model model) {
        model.addAttribute("gists", gistWatch.recentGists(GISTS_SHOWN));
        return "console/github/page :: gists";
    }

    @PostMapping("/watched")
    String watch(@RequestParam(required = false) @Nullable String login, Model model, HttpServletResponse response) {
        try {
            var added = gistWatch.watch(login);
            model.addAttribute("notice", "Now watching " + added.login() + "; its first scan is scheduled.");
        } catch (ApiProblem refused) {
            model.addAttribute("watchProblem", refused.detail());
            model.addAttribute("login", login);
        }
        watched(model);
        return "console/github/page :: watched";
    }

    @DeleteMapping("/watched/{login}")
    String unwatch(@PathVariable String login, Model model) {
        try {
            gistWatch.unwatch(login);
            model.addAttribute("notice", "Stopped watching " + login + "; its gists stay.");
        } catch (ApiProblem refused) {
            model.addAttribute("watchProblem", refused.detail());
        }
        watched(model);
        return "console/github/page :: watched";
    }

    @PostMapping("/profile")
    String profile(
            @RequestParam(required = false) @Nullable String name,
            @RequestParam(defaultValue = "false") boolean refresh,
            Model model) {
        model.addAttribute("name", name);
        try {
            ProfilesApi.ProfileLookup lookup = profiles.lookup(name == null ? "" : name.strip(), refresh);
            model.addAttribute("lookup", lookup);
            if (lookup.profile() == null) {
                String detail = lookup.outcome().detail();
                if (lookup.outcome() == ProfilesApi.Outcome.RATE_LIMITED) {
                    detail = detail + " (in about " + lookup.retryAfterSeconds() + " s)";
                }
                model.addAttribute("profileProblem", detail);
            }
        } catch (ApiProblem refused) {
            model.addAttribute("profileProblem", refused.detail());
        }
        return "console/github/page :: profile";
    }

    private void watched(Model model) {
        model.addAttribute("users", gistWatch.watchedUsers());
        model.addAttribute("canChange", canChange());
    }

    private static boolean canChange() {
        Actor me = Actor.current();
        return me != null && me.hasAny(Role.SALES, Role.ADMIN);
    }
}
