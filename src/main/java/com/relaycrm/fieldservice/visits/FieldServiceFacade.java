package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.FieldServiceApi;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class FieldServiceFacade implements FieldServiceApi {

    private final JdbcClient jdbc;

    FieldServiceFacade(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Visit> visit(long id) {
        return find("v.id = ?", id);
    }

    @Override
    public Optional<Visit> visitByExternalId(long idAtendimento) {
        return find("v.id_atendimento = ?", idAtendimento);
    }

    private Optional<Visit> find(String condition, long value) {
        return jdbc.sql(VisitRepository.SELECT + " WHERE " + condition + " AND v.deleted_at IS NULL")
                .param(value)
                .query((rs, n) -> new Visit(
                        rs.getLong("id"),
                        (Long) rs.getObject("id_atendimento"),
                        rs.getLong("id_cliente"),
                        rs.getString("angel"),
                        rs.getString("polo"),
                        rs.getObject("data_limite", LocalDate.class),
                        rs.getObject("data_de_atendimento", LocalDateTime.class),
                        rs.getString("status")))
                .optional();
    }
}
