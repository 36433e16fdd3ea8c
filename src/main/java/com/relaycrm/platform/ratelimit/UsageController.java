package com.relaycrm.platform.ratelimit;

import com.relaycrm.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tokens")
class UsageController {

    private final RateLimiter limiter;

    UsageController(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @GetMapping("/api/v1/tokens/me/usage")
    @Operation(summary = "The caller's current request budget per route group")
    Map<String, Object> usage() {
        Actor actor = Actor.current();
        List<Map<String, Object>> groups = limiter.usage(RateLimitFilter.tokenKey(actor.tokenId())).values().stream()
                .map(decision -> {
                    Map<String, Object> group = new LinkedHashMap<>();
                    group.put("group", decision.group());
                    group.put("limit", decision.limit());
                    group.put("remaining", decision.remaining());
                    group.put("reset_seconds", decision.resetSeconds());
                    return group;
                })
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_id", actor.tokenId());
        body.put("username", actor.username());
        body.put("rate_limiting_enabled", limiter.enabled());
        body.put("groups", groups);
        return body;
    }
}
