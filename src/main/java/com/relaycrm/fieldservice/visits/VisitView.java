package com.relaycrm.fieldservice.visits;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/** A visit as the API shows it; {@code cliente_id} repeats {@code id_cliente} because the seed's clients read it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
    "id",
    "id_atendimento",
    "cliente_id",
    "id_cliente",
    "angel",
    "polo",
    "uf",
    "data_limite",
    "data_de_atendimento",
    "status",
    "on_time",
    "created_at",
    "updated_at"
})
record VisitView(
        long id,
        @Nullable Long idAtendimento,
        long clienteId,
        long idCliente,
        String angel,
        String polo,
        @Nullable String uf,
        String dataLimite,
        @Nullable String dataDeAtendimento,
        String status,
        @Nullable Boolean onTime,
        String createdAt,
        String updatedAt) {}
