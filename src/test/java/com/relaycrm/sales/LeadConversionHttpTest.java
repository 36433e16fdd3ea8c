package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.JsonNode;

class LeadConversionHttpTest extends SalesHttpTestSupport {

    /** Collects LeadConverted events after their transaction commits, as a reacting module would. */
    static class ConversionRecorder {
        private final List<LeadConverted> events = new CopyOnWriteArrayList<>();

        @TransactionalEventListener
        public void on(LeadConverted event) {
            events.add(event);
        }

        public List<LeadConverted> events() {
            return events;
        }
    }

    @TestConfiguration
    static class RecorderConfiguration {
        @Bean
        ConversionRecorder conversionRecorder() {
            return new ConversionRecorder();
        }
    }

    @Autowired
    ConversionRecorder recorder;

    @Autowired
    LeadsApi leadsApi;

    @Test
    void wonLeadBecomesOneCustomerInTheSameRequest() {
        long rep = employee();
        JsonNode lead = lead(rep, "Wayne Enterprises", "Bruce@Wayne.test");
        long id = lead.get("id").asLong();

        ApiClient.Response won = api.put("/leads/" + id, "{\"status\":\"Won\"}");
        assertThat(won.status()).as(won.body()).isEqualTo(200);
        assertThat(won.json().get("status").asString()).isEqualTo("Won");
        long customerId = won.json().get("customer_id").asLong();

        ApiClient.Response customer = api.get("/customers/" + customerId);
        assertThat(customer.status()).isEqualTo(200);
        JsonNode c = customer.json();
        assertThat(c.get("name").asString()).isEqualTo("Wayne Enterprises");
        assertThat(c.get("contact_email").asString()).isEqualTo("Bruce@Wayne.test");
        assertThat(c.get("account_manager_id").asLong()).isEqualTo(rep);
        assertThat(c.get("lead_id").asLong()).isEqualTo(id);
        assertThat(c.get("signed_date").asString())
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(api.get("/leads/" + id).json().get("customer_id").asLong()).isEqualTo(customerId);
        assertThat(customerCount("bruce@wayne.test")).isEqualTo(1);

        JsonNode history = api.get("/leads/" + id + "/history").json();
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("action").asString()).isEqualTo("converted");
        assertThat(last.at("/changes/customer_id/to").asLong()).isEqualTo(customerId);

        assertThat(leadsApi.customerOf(id)).hasValue(customerId);
        assertThat(leadsApi.findLead(id)).hasValueSatisfying(summary -> {
            assertThat(summary.status()).isEqualTo("Won");
            assertThat(summary.customerId()).isEqualTo(customerId);
        });
        assertThat(leadsApi.findLead(987654)).isEmpty();
        assertThat(recorder.events()).anySatisfy(event -> {
            assertThat(event.leadId()).isEqualTo(id);
            assertThat(event.customerId()).isEqualTo(customerId);
            assertThat(event.linkedExisting()).isFalse();
            assertThat(event.convertedBy()).isEqualTo("admin");
        });
    }

    @Test
    void convertEndpointIsIdempotentAndTakesAnAccountManager() {
        long rep = employee();
        long manager = employee("ACCOUNT_MANAGER");
        long id = lead(rep).get("id").asLong();
        ApiClient.Response first = api.post("/leads/" + id + "/convert", "{\"account_manager_id\":" + manager + "}");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        long customerId = first.json().get("customer_id").asLong();
        assertThat(api.get("/customers/" + customerId)
                        .json()
                        .get("account_manager_id")
                        .asLong())
                .isEqualTo(manager);

        ApiClient.Response second = api.post("/leads/" + id + "/convert", "");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("customer_id").asLong()).isEqualTo(customerId);
        assertThat(second.json().get("version")).isEqualTo(first.json().get("version"));
        assertThat(recorder.events().stream().filter(e -> e.leadId() == id).count())
                .isEqualTo(1);
        assertProblem(api.post("/leads/987654/convert", ""), 404);
        assertProblem(api.post("/leads/" + id + "/convert", "{\"colour\":1}"), 422);
    }

    @Test
    void inactiveOrUnknownAccountManagerIs422AndLeadStaysOpen() {
        long rep = employee();
        long retired = employee();
        api.patch("/employees/" + retired, "{\"active\":false}");
        long id = lead(rep).get("id").asLong();
        var problem = assertProblem(patchLead(id, "{\"status\":\"Won\",\"account_manager_id\":" + retired + "}"), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("account_manager_id");
        assertProblem(api.post("/leads/" + id + "/convert", "{\"account_manager_id\":99999}"), 422);
        assertProblem(patchLead(id, "{\"status\":\"Contacted\",\"account_manager_id\":" + rep + "}"), 422);
        JsonNode lead = api.get("/leads/" + id).json();
        assertThat(lead.get("status").asString()).isEqualTo("New");
        assertThat(lead.has("customer_id")).isFalse();
        assertThat(lead.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void existingCustomerWithTheSameEmailIsLinkedNotDuplicated() {
        long rep = employee();
        long manager = employee("ACCOUNT_MANAGER");
        ApiClient.Response existing = api.post("/customers", """
                {"name": "Stark Industries", "contact_email": "pepper@stark.test", "account_manager_id": %d,
                 "phone_number": "+1 (555) 010-2000"}""".formatted(manager));
        assertThat(existing.status()).as(existing.body()).isEqualTo(201);
        long customerId = existing.json().get("id").asLong();

        long id = lead(rep, "Stark deal", "  PEPPER@Stark.Test ").get("id").asLong();
        ApiClient.Response won = setStatus(id, "Won");
        assertThat(won.status()).as(won.body()).isEqualTo(200);
        assertThat(won.json().get("customer_id").asLong()).isEqualTo(customerId);
        JsonNode customer = api.get("/customers/" + customerId).json();
        assertThat(customer.get("lead_id").asLong()).isEqualTo(id);
        assertThat(customer.get("name").asString()).isEqualTo("Stark Industries");
        assertThat(customer.get("account_manager_id").asLong()).isEqualTo(manager);
        assertThat(customerCount("pepper@stark.test")).isEqualTo(1);
        assertThat(recorder.events()).anySatisfy(event -> {
            assertThat(event.leadId()).isEqualTo(id);
            assertThat(event.linkedExisting()).isTrue();
        });
    }

    @Test
    void customerOfAnotherLeadIs409AndTheLeadStaysUnchanged() {
        long rep = employee();
        long first = lead(rep, "Umbrella one", "alice@umbrella.test").get("id").asLong();
        long customerId = setStatus(first, "Won").json().get("customer_id").asLong();

        long second = lead(rep, "Umbrella two", "ALICE@umbrella.test").get("id").asLong();
        patchLead(second, "{\"status\":\"Negotiation\"}");
        var problem = assertProblem(patchLead(second, "{\"status\":\"Won\",\"expected_revenue\":7}"), 409);
        assertThat(problem.get("existing_id").asLong()).isEqualTo(customerId);
        assertProblem(api.post("/leads/" + second + "/convert", ""), 409);
        JsonNode lead = api.get("/leads/" + second).json();
        assertThat(lead.get("status").asString()).isEqualTo("Negotiation");
        assertThat(lead.get("expected_revenue").toString()).isEqualTo("1000.50");
        assertThat(lead.has("customer_id")).isFalse();
        assertThat(customerCount("alice@umbrella.test")).isEqualTo(1);
    }

    @Test
    void customerCreatedForTheLeadIsTheOneConversionUses() {
        long rep = employee();
        long id = lead(rep, "Hooli", "gavin@hooli.test").get("id").asLong();
        ApiClient.Response customer = api.post("/customers", """
                {"name": "Hooli XYZ", "contact_email": "ceo@hooli.test", "account_manager_id": %d, "lead_id": %d}""".formatted(rep, id));
        assertThat(customer.status()).as(customer.body()).isEqualTo(201);
        long customerId = customer.json().get("id").asLong();
        ApiClient.Response won = api.post("/leads/" + id + "/convert", "");
        assertThat(won.status()).as(won.body()).isEqualTo(200);
        assertThat(won.json().get("customer_id").asLong()).isEqualTo(customerId);
        assertThat(customerCount("gavin@hooli.test")).isZero();
    }

    @Test
    void twentyParallelWinsOfOneLeadMakeExactlyOneCustomer() throws Exception {
        long rep = employee();
        long id = lead(rep, "Cyberdyne", "miles@cyberdyne.test").get("id").asLong();
        List<ApiClient.Response> responses = race(
                20,
                i -> i % 2 == 0
                        ? api.patch("/leads/" + id, "{\"status\":\"Won\"}")
                        : api.post("/leads/" + id + "/convert", ""));
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        Set<Long> customerIds = responses.stream()
                .map(r -> r.json().get("customer_id").asLong())
                .collect(Collectors.toSet());
        assertThat(customerIds).hasSize(1);
        assertThat(customerCount("miles@cyberdyne.test")).isEqualTo(1);
        assertThat(api.get("/customers?q=cyberdyne").header("X-Total-Count")).hasValue("1");
        assertThat(recorder.events().stream().filter(e -> e.leadId() == id).count())
                .isEqualTo(1);
        JsonNode history = api.get("/leads/" + id + "/history").json();
        assertThat(history.size()).isEqualTo(2);
    }

    @Test
    void parallelWinsOfTwoLeadsForOneEmailGiveOneCustomerAndOne409() throws Exception {
        long rep = employee();
        long a = lead(rep, "Soylent A", "sol@soylent.test").get("id").asLong();
        long b = lead(rep, "Soylent B", "sol@soylent.test").get("id").asLong();
        List<ApiClient.Response> responses =
                race(10, i -> api.patch("/leads/" + (i % 2 == 0 ? a : b), "{\"status\":\"Won\"}"));
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(200, 409));
        assertThat(customerCount("sol@soylent.test")).isEqualTo(1);
        long won = List.of(a, b).stream()
                .filter(l ->
                        api.get("/leads/" + l).json().get("status").asString().equals("Won"))
                .count();
        assertThat(won).isEqualTo(1);
    }

    interface Call {
        ApiClient.Response send(int index);
    }

    /** Sends {@code count} requests at once (virtual threads released by one latch). */
    static List<ApiClient.Response> race(int count, Call call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.send(index);
                }));
            }
            start.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }
}
