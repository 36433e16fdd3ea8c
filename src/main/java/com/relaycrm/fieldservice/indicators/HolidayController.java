package com.relaycrm.fieldservice.indicators;

import com.relaycrm.fieldservice.domain.QueryParams;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.JsonInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The holiday calendar that business days leave out; empty by default, managed by admins. */
@RestController
@RequestMapping("/api/v1/holidays")
@Tag(name = "Field service: holidays")
class HolidayController {

    private final JdbcClient jdbc;
    private final Clock clock;

    HolidayController(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Holiday(LocalDate date, String name) {}

    record Holidays(List<Holiday> data) {}

    @GetMapping
    @Operation(summary = "Holidays, optionally of one year")
    Holidays list(@RequestParam Map<String, String> query) {
        Long year = new QueryParams(query).longValue("year", 1900, 2999);
        String where = year == null ? "" : " WHERE extract(year FROM day) = " + year;
        return new Holidays(jdbc.sql("SELECT day, name FROM fieldservice_holiday" + where + " ORDER BY day")
                .query((rs, n) -> new Holiday(rs.getObject("day", LocalDate.class), rs.getString("name")))
                .list());
    }

    @GetMapping("/{date}")
    Holiday get(@PathVariable String date) {
        LocalDate day = parse(date);
        return jdbc.sql("SELECT day, name FROM fieldservice_holiday WHERE day = ?")
                .param(day)
                .query((rs, n) -> new Holiday(rs.getObject("day", LocalDate.class), rs.getString("name")))
                .optional()
                .orElseThrow(() -> ApiProblem.notFound("No holiday on " + day));
    }

    @PostMapping
    @Operation(summary = "Add a holiday: {\"date\": \"2021-11-15\", \"name\": \"Proclamação da República\"}")
    ResponseEntity<Holiday> create(@RequestBody(required = false) JsonNode body) {
        JsonInput in = JsonInput.of(body).onlyFields(List.of("date", "name"), List.of());
        LocalDate day = in.date("date", true);
        String name = in.string("name", 1, 200, true);
        in.validate();
        Objects.requireNonNull(day, "validated above");
        Objects.requireNonNull(name, "validated above");
        int inserted = jdbc.sql(
                        "INSERT INTO fieldservice_holiday (day, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .param(day)
                .param(name)
                .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        if (inserted == 0) {
            throw ApiProblem.conflict("A holiday on " + day + " already exists").with("existing_id", day.toString());
        }
        return ResponseEntity.created(URI.create("/api/v1/holidays/" + day)).body(new Holiday(day, name));
    }

    @DeleteMapping("/{date}")
    ResponseEntity<Void> delete(@PathVariable String date) {
        LocalDate day = parse(date);
        if (jdbc.sql("DELETE FROM fieldservice_holiday WHERE day = ?")
                        .param(day)
                        .update()
                == 0) {
            throw ApiProblem.notFound("No holiday on " + day);
        }
        return ResponseEntity.noContent().build();
    }

    private static LocalDate parse(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badParameter("date", "must be an ISO date such as 2021-11-15");
        }
    }
}
