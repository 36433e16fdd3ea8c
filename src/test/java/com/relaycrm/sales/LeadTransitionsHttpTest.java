package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole status transition table, each move tried on a fresh lead. */
class LeadTransitionsHttpTest extends SalesHttpTestSupport {

    private static final List<String> STATUSES =
            List.of("New", "Contacted", "Qualified", "Proposal", "Negotiation", "Won", "Lost");

    private static int expected(String from, String to) {
        return from.equals("Won") && !to.equals("Won") ? 409 : 200;
    }

    @Test
    void everyMoveFollowsTheTable() {
        long rep = employee();
        List<String> failures = new ArrayList<>();
        for (String from : STATUSES) {
            for (String to : STATUSES) {
                long id = lead(rep).get("id").asLong();
                if (!from.equals("New")) {
                    ApiClient.Response setup = setStatus(id, from);
                    assertThat(setup.status()).as(setup.body()).isEqualTo(200);
                }
                ApiClient.Response move = setStatus(id, to);
                int expected = expected(from, to);
                String now = api.get("/leads/" + id).json().get("status").asString();
                if (move.status() != expected) {
                    failures.add(from + " -> " + to + ": expected " + expected + " got " + move);
                } else if (expected == 200 && !now.equals(to)) {
                    failures.add(from + " -> " + to + ": status is " + now);
                } else if (expected == 409 && !now.equals(from)) {
                    failures.add(from + " -> " + to + ": refused but status is " + now);
                }
                if (to.equals("Won") && move.status() == 200 && !move.json().has("customer_id")) {
                    failures.add(from + " -> Won without customer_id: " + move.body());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void lostTakesAnOptionalReasonWhichReopeningClears() {
        long id = lead(employee()).get("id").asLong();
        ApiClient.Response lost = patchLead(id, "{\"status\":\"Lost\",\"lost_reason\":\"went with a competitor\"}");
        assertThat(lost.status()).as(lost.body()).isEqualTo(200);
        assertThat(lost.json().get("lost_reason").asString()).isEqualTo("went with a competitor");
        ApiClient.Response reopened = setStatus(id, "Negotiation");
        assertThat(reopened.json().get("status").asString()).isEqualTo("Negotiation");
        assertThat(reopened.json().has("lost_reason")).isFalse();
        ApiClient.Response lostAgain = setStatus(id, "Lost");
        assertThat(lostAgain.status()).isEqualTo(200);
        assertThat(lostAgain.json().has("lost_reason")).isFalse();
        assertThat(patchLead(id, "{\"lost_reason\":\"timing\"}")
                        .json()
                        .get("lost_reason")
                        .asString())
                .isEqualTo("timing");
    }

    @Test
    void wonIsFinalButIdempotent() {
        long id = lead(employee()).get("id").asLong();
        ApiClient.Response won = setStatus(id, "Won");
        assertThat(won.status()).isEqualTo(200);
        long customer = won.json().get("customer_id").asLong();
        ApiClient.Response again = setStatus(id, "Won");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("customer_id").asLong()).isEqualTo(customer);
        assertThat(again.json().get("version")).isEqualTo(won.json().get("version"));
        var problem = assertProblem(setStatus(id, "Lost"), 409);
        assertThat(problem.get("detail").asString()).contains("final");
        assertProblem(api.delete("/leads/" + id), 409);
        assertThat(api.get("/leads/" + id).json().get("status").asString()).isEqualTo("Won");
    }
}
