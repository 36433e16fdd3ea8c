package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.domain.VisitStatus;
import com.relaycrm.platform.CsvCells;
import com.relaycrm.platform.Exports;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class VisitRepository {

    /** A visit's columns as {@link #view} reads them, from {@code v} joined to its angel {@code a} and polo {@code p}. */
    private static final String COLUMNS = """
            SELECT v.id, v.id_atendimento, v.id_cliente, a.name AS angel, p.name AS polo, p.uf, v.data_limite,
                   v.data_de_atendimento, v.status, v.created_at, v.updated_at
            """;

    static final String SELECT = COLUMNS + """
            FROM fieldservice_visit v
            JOIN fieldservice_angel a ON a.id = v.angel_id
            JOIN fieldservice_polo p ON p.id = v.polo_id
            """;

    private final JdbcClient jdbc;

    VisitRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The angel's id, created on first use; concurrent first uses end with one row (unique name). */
    long angelId(String name) {
        Optional<Long> created = jdbc.sql(
                        "INSERT INTO fieldservice_angel (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id")
                .param(name)
                .query(Long.class)
                .optional();
        // A fresh statement sees a row a concurrent transaction committed while this one waited on the conflict.
        return created.orElseGet(() -> jdbc.sql("SELECT id FROM fieldservice_angel WHERE name = ?")
                .param(name)
                .query(Long.class)
                .single());
    }

    long poloId(String name, @Nullable String uf) {
        Optional<Long> created = jdbc.sql(
                        "INSERT INTO fieldservice_polo (name, uf) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")
                .param(name)
                .param(uf)
                .query(Long.class)
                .optional();
        return created.orElseGet(() -> jdbc.sql("SELECT id FROM fieldservice_polo WHERE name = ?")
                .param(name)
                .query(Long.class)
                .single());
    }

    Optional<Long> liveIdByExternalId(long idAtendimento) {
        return jdbc.sql("SELECT id FROM fieldservice_visit WHERE id_atendimento = ? AND deleted_at IS NULL")
                .param(idAtendimento)
                .query(Long.class)
                .optional();
    }

    /** Inserts unless a live visit already holds the external id; empty means that conflict. */
    Optional<Long> insert(
            @Nullable Long idAtendimento,
            long idCliente,
            long angelId,
            long poloId,
            LocalDate dataLimite,
            @Nullable LocalDateTime dataDeAtendimento,
            VisitStatus status,
            Instant now) {
        return jdbc.sql("""
                        INSERT INTO fieldservice_visit (id_atendimento, id_cliente, angel_id, polo_id, data_limite,
                            data_de_atendimento, status, created_at, updated_at)
                        VALUES (:ext, :cliente, :angel, :polo, :limite, :atendimento, :status, :now, :now)
                        ON CONFLICT (id_atendimento) WHERE deleted_at IS NULL DO NOTHING
                        RETURNING id""")
                .param("ext", idAtendimento)
                .param("cliente", idCliente)
                .param("angel", angelId)
                .param("polo", poloId)
                .param("limite", dataLimite)
                .param("atendimento", dataDeAtendimento)
                .param("status", status.name())
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .query(Long.class)
                .optional();
    }

    /** Locks the live visit for a read-modify-write. */
    Optional<VisitRow> lock(long id) {
        return jdbc.sql("""
                        SELECT v.id, v.id_atendimento, v.id_cliente, v.angel_id, v.polo_id, v.data_limite,
                               v.data_de_atendimento, v.status
                        FROM fieldservice_visit v WHERE v.id = ? AND v.deleted_at IS NULL FOR UPDATE""")
                .param(id)
                .query((rs, n) -> new VisitRow(
                        rs.getLong("id"),
                        (Long) rs.getObject("id_atendimento"),
                        rs.getLong("id_cliente"),
                        rs.getLong("angel_id"),
                        rs.getLong("polo_id"),
                        rs.getObject("data_limite", LocalDate.class),
                        rs.getObject("data_de_atendimento", LocalDateTime.class),
                        VisitStatus.valueOf(rs.getString("status"))))
                .optional();
    }

    record VisitRow(
            long id,
            @Nullable Long idAtendimento,
            long idCliente,
            long angelId,
            long poloId,
            LocalDate dataLimite,
            @Nullable LocalDateTime dataDeAtendimento,
            VisitStatus status) {}

    void update(VisitRow row, Instant now) {
        jdbc.sql("""
                        UPDATE fieldservice_visit SET id_atendimento = :ext, id_cliente = :cliente, angel_id = :angel,
                            polo_id = :polo, data_limite = :limite, data_de_atendimento = :atendimento,
                            status = :status, updated_at = :now
                        WHERE id = :id""")
                .param("ext", row.idAtendimento())
                .param("cliente", row.idCliente())
                .param("angel", row.angelId())
                .param("polo", row.poloId())
                .param("limite", row.dataLimite())
                .param("atendimento", row.dataDeAtendimento())
                .param("status", row.status().name())
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .param("id", row.id())
                .update();
    }

    boolean softDelete(long id, Instant now) {
        return jdbc.sql(
                                "UPDATE fieldservice_visit SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")
                        .param(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                        .param(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                        .param(id)
                        .update()
                == 1;
    }

    Optional<VisitView> find(long id) {
        return jdbc.sql(SELECT + " WHERE v.id = ? AND v.deleted_at IS NULL")
                .param(id)
                .query(VisitRepository::view)
                .optional();
    }

    List<VisitView> list(String where, Map<String, Object> params, String orderBy, int limit, long offset) {
        return jdbc.sql(SELECT + " WHERE " + where + " ORDER BY " + orderBy + " LIMIT :limit OFFSET :offset")
                .params(params)
                .param("limit", limit)
                .param("offset", offset)
                .query(VisitRepository::view)
                .list();
    }

    /** Every matching visit in {@code orderBy} order, through a cursor (an NDJSON export). */
    void forEach(
            String where,
            Map<String, Object> params,
            String orderBy,
            java.util.function.Consumer<? super VisitView> each) {
        jdbc.sql(SELECT + " WHERE " + where + " ORDER BY " + orderBy)
                .params(params)
                .withFetchSize(Exports.FETCH_SIZE)
                .query(rs -> {
                    each.accept(view(rs, 0));
                });
    }

    /**
     * The CSV export of the visits {@code where} selects, in {@code orderBy} order, for {@link Exports#copyCsv}: each
     * row the cells of {@code VisitController}'s columns as {@link #view} and the JSON list render them (names and UF
     * neutralised, booleans as true/false, timestamps as {@link java.time.Instant#toString()}).
     */
    static String csvExport(String where, String orderBy) {
        String columns = String.join(
                ", ",
                "v.id",
                "v.id_atendimento",
                "v.id_cliente",
                "v.id_cliente",
                CsvCells.neutraliseSql("a.name"),
                CsvCells.neutraliseSql("p.name"),
                CsvCells.neutraliseSql("p.uf"),
                "v.data_limite",
                // ISO_LOCAL_DATE_TIME: PostgreSQL's ISO output (DateStyle, which the driver pins) with the T
                "replace(v.data_de_atendimento::text, ' ', 'T')",
                "v.status",
                "CASE WHEN v.status = 'DONE' AND v.data_de_atendimento IS NOT NULL"
                        + " THEN CASE WHEN v.data_de_atendimento::date <= v.data_limite THEN 'true' ELSE 'false' END"
                        + " END",
                Exports.instantSql("v.created_at"),
                Exports.instantSql("v.updated_at"));
        return """
                SELECT {columns}
                FROM fieldservice_visit v
                JOIN fieldservice_angel a ON a.id = v.angel_id
                JOIN fieldservice_polo p ON p.id = v.polo_id
                WHERE {where}
                ORDER BY {order}""".replace("{columns}", columns).replace("{where}", where).replace("{order}", orderBy);
    }

    long count(String where, Map<String, Object> params) {
        return jdbc.sql("SELECT count(*) FROM fieldservice_visit v WHERE " + where)
                .params(params)
                .query(Long.class)
                .single();
    }

    /** Counts matching visits but stops at {@code cap}, so a page of a million-row result does not count them all. */
    long countUpTo(String where, Map<String, Object> params, long cap) {
        return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM fieldservice_visit v WHERE " + where
                        + " LIMIT :count_cap) s")
                .params(params)
                .param("count_cap", cap)
                .query(Long.class)
                .single();
    }

    List<Long> poloIdsOfUf(String uf) {
        return jdbc.sql("SELECT id FROM fieldservice_polo WHERE uf = ?")
                .param(uf)
                .query((rs, n) -> rs.getLong(1))
                .list();
    }

    /**
     * A page ordered by angel or polo name, then id. Each angel's (polo's) visits are read through its (x_id, id)
     * index and at most as deep as the page reaches, so the sort above them handles a page's depth per name instead
     * of every visit of the table (a plain ORDER BY name, id sorted a whole polo's 80,000 visits at 10M).
     */
    List<VisitView> listByName(
            String where, Map<String, Object> params, String dimension, boolean descending, int limit, long offset) {
        String table = dimension.equals("angel") ? "fieldservice_angel" : "fieldservice_polo";
        String direction = descending ? " DESC" : "";
        String sql = COLUMNS
                + """
                FROM (SELECT id, name FROM {table} ORDER BY name{direction}) g
                CROSS JOIN LATERAL (SELECT * FROM fieldservice_visit v WHERE v.{dimension}_id = g.id AND {where}
                                    ORDER BY v.id{direction} LIMIT :depth) v
                JOIN fieldservice_angel a ON a.id = v.angel_id
                JOIN fieldservice_polo p ON p.id = v.polo_id
                ORDER BY g.name{direction}, v.id{direction} LIMIT :limit OFFSET :offset""".replace("{table}", table)
                        .replace("{dimension}", dimension)
                        .replace("{direction}", direction)
                        .replace("{where}", where);
        return jdbc.sql(sql)
                .params(params)
                .param("depth", offset + limit)
                .param("limit", limit)
                .param("offset", offset)
                .query(VisitRepository::view)
                .list();
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    static VisitView view(ResultSet rs, int rowNum) throws SQLException {
        LocalDate limit = rs.getObject("data_limite", LocalDate.class);
        LocalDateTime visited = rs.getObject("data_de_atendimento", LocalDateTime.class);
        String status = rs.getString("status");
        Boolean onTime = "DONE".equals(status) && visited != null
                ? !visited.toLocalDate().isAfter(limit)
                : null;
        long cliente = rs.getLong("id_cliente");
        return new VisitView(
                rs.getLong("id"),
                (Long) rs.getObject("id_atendimento"),
                cliente,
                cliente,
                rs.getString("angel"),
                rs.getString("polo"),
                rs.getString("uf"),
                limit.toString(),
                visited == null ? null : LOCAL.format(visited),
                status,
                onTime,
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    private static String instant(Timestamp timestamp) {
        return timestamp.toInstant().toString();
    }
}
