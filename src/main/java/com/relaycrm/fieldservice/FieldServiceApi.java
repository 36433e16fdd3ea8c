package com.relaycrm.fieldservice;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;

/** What other modules may ask the field service: one live visit by its id or by its external id. */
public interface FieldServiceApi {

    Optional<Visit> visit(long id);

    Optional<Visit> visitByExternalId(long idAtendimento);

    record Visit(
            long id,
            Long idAtendimento,
            long idCliente,
            String angel,
            String polo,
            LocalDate dataLimite,
            LocalDateTime dataDeAtendimento,
            String status) {}
}
