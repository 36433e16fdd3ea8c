package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

class SqlLiteralsTest {

    /** The driver's escaping with standard_conforming_strings on: quotes doubled, nothing else touched. */
    private static final PGConnection DRIVER = (PGConnection) Proxy.newProxyInstance(
            SqlLiteralsTest.class.getClassLoader(), new Class<?>[] {PGConnection.class}, (proxy, method, args) -> {
                if (method.getName().equals("escapeLiteral")) {
                    return ((String) args[0]).replace("'", "''");
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private static String inline(String sql, Map<String, ?> values) throws SQLException {
        return SqlLiterals.inline(sql, values, DRIVER);
    }

    @Test
    void parametersBecomeLiteralsOfTheirType() throws SQLException {
        Map<String, Object> values = new HashMap<>();
        values.put("id", 42L);
        values.put("negative", -7L);
        values.put("name", "O'Brien \\ 50%");
        values.put("flag", true);
        values.put("day", LocalDate.of(2021, 6, 30));
        values.put("moment", LocalDateTime.of(2021, 6, 30, 10, 0));
        values.put("ids", List.of(1L, 2L, 3L));
        values.put("nothing", null);
        assertThat(inline(
                        "SELECT 1 WHERE a = :id AND b = 1-:negative AND c = :name AND d = :flag AND e >= :day"
                                + " AND f < :moment AND g IN (:ids) AND h IS NOT DISTINCT FROM :nothing",
                        values))
                .isEqualTo("SELECT 1 WHERE a = 42 AND b = 1-(-7) AND c = 'O''Brien \\ 50%' AND d = TRUE"
                        + " AND e >= DATE '2021-06-30' AND f < TIMESTAMP '2021-06-30T10:00' AND g IN (1, 2, 3)"
                        + " AND h IS NOT DISTINCT FROM NULL");
    }

    @Test
    void quotedTextCommentsAndCastsAreLeftAlone() throws SQLException {
        Map<String, Object> values = Map.of("x", 1L);
        String untouched = "SELECT ':x', 'it''s :x', E'\\' :x', \":x\", a::text, to_char(t, 'HH24:MI:SS'),"
                + " '''' || :x -- :x\n/* :x */";
        assertThat(inline(untouched, values))
                .isEqualTo("SELECT ':x', 'it''s :x', E'\\' :x', \":x\", a::text, to_char(t, 'HH24:MI:SS'),"
                        + " '''' || 1 -- :x\n/* :x */");
    }

    @Test
    void aMissingParameterOrAnUnknownTypeIsAProgrammingError() {
        assertThatThrownBy(() -> inline("SELECT :missing", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":missing");
        assertThatThrownBy(() -> inline("SELECT :x", Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inline("SELECT 'open", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
