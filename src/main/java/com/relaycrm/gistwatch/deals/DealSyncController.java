package com.relaycrm.gistwatch.deals;

import com.relaycrm.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/github")
@Tag(name = "Gist watch")
class DealSyncController {

    private final DealSync dealSync;

    DealSyncController(DealSync dealSync) {
        this.dealSync = dealSync;
    }

    @PostMapping("/gists/{id}/retry")
    @Operation(summary = "Queue a gist whose deal Pipedrive refused for another attempt")
    ResponseEntity<Map<String, Object>> retry(@PathVariable String id) {
        if (id.length() > 200) {
            throw ApiProblem.notFound("No gist " + id.substring(0, 40) + "...");
        }
        String status = dealSync.retry(id).orElseThrow(() -> ApiProblem.notFound("No gist " + id));
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
