package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.relaycrm.fieldservice.FieldServiceApi.ImportStatus;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The facade on the real database, against figures worked out by hand and against the HTTP API's answers. */
class FieldServiceFacadeTest extends HttpTestSupport {

    @Autowired
    FieldServiceApi fieldService;

    private static boolean loaded;

    private void create(String angel, String polo, String limit, String visited) {
        String body = "{\"id_cliente\": 7, \"angel\": \"" + angel + "\", \"polo\": \"" + polo
                + "\", \"data_limite\": \"" + limit + "\""
                + (visited == null ? "" : ", \"data_de_atendimento\": \"" + visited + "\"") + "}";
        assertThat(api.post("/api/v1/atendimento", body).status()).isEqualTo(201);
    }

    @BeforeEach
    void dataset() {
        if (loaded) {
            return;
        }
        loaded = true;
        create("Ana", "SP - SANTOS", "2021-06-30", "2021-06-30 10:00"); // on time
        create("Ana", "SP - SANTOS", "2021-06-30", "2021-07-01 10:00"); // late
        create("Ana", "SP - SANTOS", "2021-06-30", null); // pending: not counted
        create("Bruno", "RJ - NITEROI", "2021-07-02", "2021-07-01 10:00"); // on time
        create("Bruno", "SP - SANTOS", "2021-07-02", "2021-07-02 10:00"); // on time
    }

    @Test
    void slaPerPoloAndAngelWithFilters() {
        var polos = fieldService.slaPerPolo(Map.of());
        assertThat(polos.data())
                .extracting(s -> s.name() + " " + s.total() + " " + s.onTime() + " " + s.late() + " " + s.sla())
                .containsExactly("RJ - NITEROI 1 1 0 100.00", "SP - SANTOS 3 2 1 66.67");
        var angels = fieldService.slaPerAngel(Map.of("uf", "sp", "sort", "sla"));
        assertThat(angels.data())
                .extracting(s -> s.name() + " " + s.sla())
                .containsExactly("Bruno 100.00", "Ana 50.00");
        var june = fieldService.slaPerAngel(Map.of("start_date", "2021-06-01", "end_date", "2021-06-30"));
        assertThat(june.data()).extracting(s -> s.name() + " " + s.total()).containsExactly("Ana 1");
        assertThat(fieldService.slaPerPolo(Map.of("polo", " RJ -  NITEROI ")).data())
                .extracting(FieldServiceApi.Sla::name)
                .containsExactly("RJ - NITEROI");
        // the same numbers as the HTTP API
        var http = api.get("/api/v1/indicators/sla/polo").json().get("data");
        assertThat(http.get(1).get("sla").decimalValue()).isEqualByComparingTo(new BigDecimal("66.67"));
    }

    @Test
    void productivityNeedsAPeriodAndDividesByBusinessDays() {
        // Wed 30/06 .. Fri 02/07/2021: three business days
        var report = fieldService.productivityPerAngel(
                Map.of("start_date", "2021-06-30", "end_date", "2021-07-02", "sort", "total"));
        assertThat(report.businessDays()).isEqualTo(3);
        assertThat(report.data())
                .extracting(p -> p.angel() + " " + p.total() + " " + p.productivity())
                .containsExactly("Bruno 2 0.67", "Ana 2 0.67"); // ties descend by name too
        assertThatThrownBy(() -> fieldService.productivityPerAngel(Map.of("end_date", "2021-07-02")))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.getMessage()).contains("start_date"));
    }

    @Test
    void visitPagesFilterOrderAndPage() {
        var page = fieldService.visits(Map.of("per_page", "2", "order_by", "-data_limite"));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.data())
                .hasSize(2)
                .allSatisfy(v -> assertThat(v.dataLimite()).isEqualTo("2021-07-02"));
        assertThat(page.hasNext()).isTrue();
        assertThat(page.hasPrevious()).isFalse();
        var last = fieldService.visits(Map.of("per_page", "2", "page", "3"));
        assertThat(last.data()).hasSize(1);
        assertThat(last.hasNext()).isFalse();
        var late = fieldService.visits(Map.of("on_time", "false"));
        assertThat(late.data()).singleElement().satisfies(v -> {
            assertThat(v.angel()).isEqualTo("Ana");
            assertThat(v.uf()).isEqualTo("SP");
            assertThat(v.onTime()).isFalse();
        });
        assertThat(fieldService.visits(Map.of("status", "PENDING")).total()).isEqualTo(1);
        assertThat(page.totalIsLowerBound()).isFalse();
        // a capped count stops early but still knows whether a next page exists
        var capped = fieldService.visits(Map.of("per_page", "1"), 3);
        assertThat(capped.total()).isEqualTo(3);
        assertThat(capped.totalIsLowerBound()).isTrue();
        assertThat(capped.hasNext()).isTrue();
        var lastCapped = fieldService.visits(Map.of("per_page", "2", "page", "3"), 3);
        assertThat(lastCapped.total()).isEqualTo(5);
        assertThat(lastCapped.totalIsLowerBound()).isFalse();
        assertThat(lastCapped.hasNext()).isFalse();
        assertThatThrownBy(() -> fieldService.visits(Map.of("order_by", "nope")))
                .isInstanceOf(ApiProblem.class);
    }

    @Test
    void importRunsReportsCountsAndRejectedLines() throws Exception {
        String csv = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n"
                + "900001;1;Caio;MG - UBERABA;30/06/2021;29/06/2021 10:00\n"
                + "900002;1;Caio;MG - UBERABA;31/02/2021;\n" // impossible date
                + "900003;1;Caio;MG - UBERABA;30/06/2021;\n";
        UUID dry = fieldService.startImport(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                new FieldServiceApi.ImportOptions(true, null, null, "admin"));
        ImportStatus dryRun = await(dry);
        assertThat(dryRun.dryRun()).isTrue();
        assertThat(dryRun.inserted() + " " + dryRun.rejected()).isEqualTo("2 1");
        assertThat(fieldService.visits(Map.of("angel", "Caio")).total()).isZero();

        UUID id = fieldService.startImport(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                new FieldServiceApi.ImportOptions(false, ";", "UTF-8", "admin"));
        ImportStatus done = await(id);
        assertThat(done.state()).isEqualTo("SUCCESS");
        assertThat(done.percent()).isEqualTo(100);
        assertThat(done.totalRows() + " " + done.inserted() + " " + done.rejected())
                .isEqualTo("3 2 1");
        assertThat(fieldService.visits(Map.of("angel", "Caio")).total()).isEqualTo(2);
        assertThat(fieldService.rejectedLines(id, 10)).singleElement().satisfies(line -> {
            assertThat(line.line()).isEqualTo(3);
            assertThat(line.code()).isEqualTo("IMPOSSIBLE_DATE");
        });
        StringWriter out = new StringWriter();
        assertThat(fieldService.writeRejectedLines(id, out)).isTrue();
        assertThat(out.toString())
                .isEqualTo(api.get("/api/v1/atendimento/task_status/" + id + "/errors.csv")
                        .body());
        assertThat(fieldService.writeRejectedLines(UUID.randomUUID(), new StringWriter()))
                .isFalse();
        assertThat(fieldService.importStatus(UUID.randomUUID())).isEmpty();
    }

    @Test
    void refusedUploadsAreTheApisProblems() {
        assertThatThrownBy(() -> fieldService.startImport(
                        new ByteArrayInputStream(new byte[0]),
                        new FieldServiceApi.ImportOptions(false, null, null, "admin")))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.getMessage()).contains("Empty file"));
        assertThatThrownBy(() -> fieldService.startImport(
                        new ByteArrayInputStream("a;b\n1;2\n".getBytes(StandardCharsets.UTF_8)),
                        new FieldServiceApi.ImportOptions(false, null, null, "admin")))
                .isInstanceOf(ApiProblem.class);
    }

    private ImportStatus await(UUID id) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            ImportStatus status = fieldService.importStatus(id).orElseThrow();
            if (status.finished()) {
                return status;
            }
            assertThat(Instant.now()).as("import still " + status.state()).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
