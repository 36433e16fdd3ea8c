package com.relaycrm.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.fieldservice.ImportSupport;
import com.relaycrm.platform.CsvCells;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rejected import lines come back as CSV; a value that a spreadsheet would run as a formula must come back inert. */
class CsvInjectionHttpTest extends HttpTestSupport {

    private static final String HEADER = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n";

    @Test
    void errorsCsvAndTheConsolesRejectedCsvNeutraliseFormulas() {
        String csv = HEADER
                + "=HYPERLINK(\"http://evil.example\",\"x\");1;Ana;SP - SANTOS;30/06/2021;\n" // line 2
                + "500002;  +cmd|'/c calc'!A0;Ana;SP - SANTOS;30/06/2021;\n" // line 3
                + "500003;1;Ana;SP - SANTOS;@SUM(1);\n" // line 4
                + "500004;-2;Ana;SP - SANTOS;30/06/2021;\n"; // line 5: a negative id_cliente is out of range
        JsonNode status = ImportSupport.importAndWait(api, "", csv.getBytes(StandardCharsets.UTF_8));
        String taskId = status.get("task_id").asString();
        String errors = api.get("/api/v1/atendimento/task_status/" + taskId + "/errors.csv")
                .body();
        String[] lines = errors.split("\r\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[1])
                .startsWith("2,id_atendimento,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",")
                .endsWith(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\");1;Ana;SP - SANTOS;30/06/2021;\"");
        assertThat(lines[2]).startsWith("3,id_cliente,'+cmd|'/c calc'!A0,");
        assertThat(lines[3]).startsWith("4,data_limite,'@SUM(1),");
        // The raw line always comes as one quoted column, and no cell of any line opens with a formula character.
        for (int i = 1; i < lines.length; i++) {
            assertThat(lines[i]).endsWith("\"");
            for (String cell : lines[i].split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                String unquoted = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertThat(unquoted.stripLeading()).as(lines[i]).matches("(?s)([^=+\\-@\t\r].*)?");
            }
        }

        ConsoleClient console = new ConsoleClient(port);
        console.signIn(FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        ConsoleClient.Page rejected = console.get("/console/imports/" + taskId + "/rejected.csv");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.body()).isEqualTo(errors);
    }

    @Test
    void neutraliserFollowsOwasp() {
        assertThat(CsvCells.neutralise("=1+1")).isEqualTo("'=1+1");
        assertThat(CsvCells.neutralise("   -1")).isEqualTo("'   -1");
        assertThat(CsvCells.neutralise("\tx")).isEqualTo("'\tx");
        assertThat(CsvCells.neutralise("\rx")).isEqualTo("'\rx");
        assertThat(CsvCells.neutralise("@x")).isEqualTo("'@x");
        assertThat(CsvCells.neutralise("+x")).isEqualTo("'+x");
        assertThat(CsvCells.neutralise("Ana = Bia")).isEqualTo("Ana = Bia");
        assertThat(CsvCells.neutralise("   ")).isEqualTo("   ");
        assertThat(CsvCells.neutralise(null)).isEmpty();
        assertThat(CsvCells.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvCells.cell("=a\"b")).isEqualTo("\"'=a\"\"b\"");
        assertThat(CsvCells.cell("plain")).isEqualTo("plain");
        assertThat(CsvCells.quoted("plain")).isEqualTo("\"plain\"");
    }
}
