package com.relaycrm.gistwatch.deals;

import com.relaycrm.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/github")
@Tag(name = "Gist watch")
class DealSyncController {

    private final DealSync dealSync;

    DealSyncController(DealSync dealSync) {
        this.dealSync = dealSync;
    }

    @GetMapping("/gists")
    @Operation(summary = "Stored gists with their deal-sync state (?sync_status=pending|synced|failed, ?limit=)")
    List<DealSync.GistSync> list(
            @RequestParam(name = "sync_status", required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String limit) {
        if (status != null && !List.of("pending", "synced", "failed").contains(status)) {
            throw ApiProblem.badParameter("sync_status", "must be pending, synced or failed");
        }
        int max = 100;
        if (limit != null) {
            if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > 1000) {
                throw ApiProblem.badParameter("limit", "must be an integer between 1 and 1000");
            }
            max = Integer.parseInt(limit);
        }
        return dealSync.list(status, max);
    }

    @GetMapping("/gists/{id}")
    @Operation(summary = "One gist with its deal-sync state and last error")
    DealSync.GistSync get(@PathVariable String id) {
        return dealSync.find(id).orElseThrow(() -> ApiProblem.notFound("No gist " + abbreviate(id)));
    }

    private static String abbreviate(String id) {
        return id.length() > 60 ? id.substring(0, 60) + "..." : id;
    }

    @PostMapping("/gists/{id}/retry")
    @Operation(summary = "Queue a gist whose deal Pipedrive refused for another attempt")
    ResponseEntity<Map<String, Object>> retry(@PathVariable String id) {
        String status = dealSync.retry(id).orElseThrow(() -> ApiProblem.notFound("No gist " + abbreviate(id)));
        if (status.equals("synced")) {
            throw ApiProblem.conflict("The deal of gist " + id + " is already synced");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("sync_status", status);
        return ResponseEntity.accepted().body(body);
    }

    @PostMapping("/deal-sync")
    @Operation(summary = "Drain the deal-sync outbox now (admin)")
    Map<String, Object> drain() {
        DealSync.Run run = dealSync.drain();
        DealSync.Counts counts = dealSync.counts();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("synced", run.synced());
        body.put("failed", run.failed());
        body.put("retrying", run.retrying());
        if (run.stopped() != null) {
            body.put("stopped", run.stopped());
        }
        body.put("pending_total", counts.pending());
        body.put("synced_total", counts.synced());
        body.put("failed_total", counts.failed());
        return body;
    }
}
