package com.relaycrm.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.FieldError;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.FuzzBudget;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing of JSON request binding (docs/FUZZING.md): arbitrary bytes are parsed the way a request
 * body is (the application's Jackson settings), read with every {@link JsonInput} reader and bound to a typed record;
 * whatever fails goes through {@link ProblemMapper}. Properties: parse and binding failures map to 400/422 problems,
 * {@link JsonInput} only ever throws {@link ApiProblem} with a 4xx status, every problem body serialises, accepted
 * values round-trip to what was sent, and each input finishes within the per-input time limit. In {@code ./mvnw
 * verify} it replays the committed inputs under {@code JsonBindingFuzzTestInputs/}.
 */
class JsonBindingFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final ProblemMapper PROBLEMS = new ProblemMapper(JSON);
    private static final List<String> KNOWN =
            List.of("name", "email", "status", "role", "amount", "count", "active", "due", "at", "tags", "body", "x");

    /** A typed binding target like the few record-bound bodies in the modules. */
    record Typed(
            String name, long count, BigDecimal amount, LocalDate due, Role role, List<Integer> ids, boolean flag) {}

    @FuzzTest(maxDuration = "2m")
    void bind(byte[] input) throws Throwable {
        FuzzBudget.within(() -> bindOnce(input));
    }

    private static void bindOnce(byte[] input) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/fuzz");
        JsonNode body;
        try {
            body = JSON.readTree(input);
        } catch (JacksonException | NumberFormatException malformed) {
            // Jackson throws a bare NumberFormatException for a number beyond its limits (1e-40811111110, found by
            // this fuzzer; regression_exponent_beyond_int); the mapper turns both into a 400.
            assertClientProblem(PROBLEMS.toProblem(malformed, request), request, Set.of(400, 422));
            return;
        }
        try {
            JSON.treeToValue(body, Typed.class);
        } catch (JacksonException mismatch) {
            assertClientProblem(PROBLEMS.toProblem(mismatch, request), request, Set.of(400, 422));
        } catch (IllegalArgumentException mismatch) { // NumberFormatException included
            assertClientProblem(PROBLEMS.toProblem(mismatch, request), request, Set.of(400, 422));
        }
        try {
            read(body);
        } catch (ApiProblem problem) {
            assertClientProblem(PROBLEMS.toProblem(problem, request), request, Set.of(400, 422));
        }
    }

    private static void read(JsonNode body) {
        JsonInput in = JsonInput.of(body);
        Set<String> fields = new LinkedHashSet<>(KNOWN);
        fields.addAll(in.fields());
        int i = 0;
        for (String field : fields) {
            boolean required = (i++ & 1) == 0;
            JsonNode sent = body.get(field);
            String text = in.string(field, 0, 100, required);
            if (text != null) {
                assertThat(text).isEqualTo(sent.stringValue().strip());
            }
            String email = in.email(field, required);
            if (email != null) {
                assertThat(JsonInput.isEmail(email)).isTrue();
            }
            in.oneOf(field, List.of("open", "closed"), required);
            Role role = in.enumValue(field, Role.class, required);
            if (role != null) {
                assertThat(role.name()).isEqualTo(sent.stringValue());
            }
            Long number = in.longValue(field, -1_000_000L, Long.MAX_VALUE, required);
            if (number != null) {
                assertThat(new BigDecimal(number)).isEqualByComparingTo(sent.decimalValue());
            }
            BigDecimal amount = in.decimal(field, new BigDecimal("-1e15"), new BigDecimal("1e15"), 2, required);
            if (amount != null) {
                assertThat(amount).isEqualByComparingTo(new BigDecimal(sent.asString()));
                assertThat(amount.scale()).isBetween(0, 2);
            }
            in.bool(field, required);
            LocalDate date = in.date(field, required);
            if (date != null) {
                assertThat(LocalDate.parse(date.toString())).isEqualTo(date);
            }
            OffsetDateTime at = in.dateTime(field, required);
            if (at != null) {
                assertThat(OffsetDateTime.parse(at.toString())).isEqualTo(at);
            }
            List<String> items = in.strings(field, 0, 20, 50, required);
            if (items != null) {
                assertThat(items).hasSize(sent.size());
            }
            in.has(field);
            in.raw(field);
        }
        in.onlyFields(List.of("name", "email"), List.of("id"));
        List<FieldError> errors = new ArrayList<>(in.errors());
        assertThat(in.valid()).isEqualTo(errors.isEmpty());
        in.validate();
        assertThat(errors).isEmpty();
    }

    private static void assertClientProblem(ApiProblem problem, MockHttpServletRequest request, Set<Integer> allowed) {
        assertThat(allowed)
                .as("status of %s", problem.detail())
                .contains(problem.status().value());
        Map<String, Object> body = PROBLEMS.body(problem, request);
        assertThat(body).containsEntry("status", problem.status().value());
        byte[] bytes = JSON.writeValueAsBytes(body);
        assertThat(JSON.readTree(bytes).get("status").asInt())
                .isEqualTo(problem.status().value());
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("Exception")
                .doesNotContain("tools.jackson");
    }
}
