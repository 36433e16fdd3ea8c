package com.relaycrm.console.webhooks;

import com.relaycrm.console.web.ConsoleRoutes;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.webhooks.WebhooksApi;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Webhook subscriptions for admins, as {@code /api/v1/webhooks}: the list, a create form whose answer shows the
 * signing secret once (never stored in the session or put in a URL), a subscription's delivery log with redelivery,
 * and a test ping.
 */
@Controller
@RequestMapping("/console/webhooks")
class WebhookPages {

    private static final int PAGE = 25;

    private final WebhooksApi webhooks;

    WebhookPages(WebhooksApi webhooks) {
        this.webhooks = webhooks;
    }

    @Bean
    static ConsoleRoutes webhookRoutes() {
        return routes -> routes.requestMatchers("/console/webhooks", "/console/webhooks/**")
                .hasRole("ADMIN");
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("subscriptions", webhooks.subscriptions());
        model.addAttribute("eventNames", webhooks.eventNames());
        return "console/webhooks/list";
    }

    @PostMapping
    String create(
            @RequestParam(name = "url", defaultValue = "") String url,
            @RequestParam(name = "events", required = false) @Nullable List<String> events,
            @RequestParam(name = "description", required = false) @Nullable String description,
            HttpServletResponse response,
            Model model) {
        try {
            WebhooksApi.Created created = webhooks.create(url, events == null ? List.of() : events, description);
            model.addAttribute("created", created);
            response.setStatus(201);
        } catch (ApiProblem refused) {
            response.setStatus(refused.status().value());
            model.addAttribute("problem", refused.detail());
            model.addAttribute("errors", refused.errors());
            model.addAttribute("url", url);
        }
        return list(model);
    }

    @GetMapping("/{id}")
    String subscription(
            @PathVariable long id,
            @RequestParam(name = "after", required = false) @Nullable String after,
            Model model) {
        model.addAttribute("subscription", webhooks.subscription(id));
        model.addAttribute("page", webhooks.deliveries(id, after, PAGE));
        return "console/webhooks/subscription";
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    String redeliver(@PathVariable long id, @PathVariable long deliveryId) {
        webhooks.redeliver(id, deliveryId);
        return "redirect:/console/webhooks/" + id;
    }

    @PostMapping("/{id}/test")
    String test(@PathVariable long id) {
        webhooks.test(id);
        return "redirect:/console/webhooks/" + id;
    }
}
