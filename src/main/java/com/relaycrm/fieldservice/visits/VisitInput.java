package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.domain.DayFirstDates;
import com.relaycrm.fieldservice.domain.Names;
import com.relaycrm.fieldservice.domain.VisitStatus;
import com.relaycrm.platform.JsonInput;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A visit body as sent by POST, PUT or PATCH; a null field was absent or JSON null, {@link #has} tells which. Dates
 * are read day-first with {@link DayFirstDates}; {@code cliente_id} is accepted as the seed's alias of
 * {@code id_cliente}.
 */
record VisitInput(
        Set<String> present,
        @Nullable Long idAtendimento,
        @Nullable Long idCliente,
        @Nullable String angel,
        @Nullable String polo,
        @Nullable LocalDate dataLimite,
        @Nullable LocalDateTime dataDeAtendimento,
        @Nullable VisitStatus status) {

    private static final List<String> FIELDS = List.of(
            "id_atendimento",
            "id_cliente",
            "cliente_id",
            "angel",
            "polo",
            "data_limite",
            "data_de_atendimento",
            "status");
    private static final List<String> READ_ONLY = List.of("id", "on_time", "uf", "created_at", "updated_at");

    enum Mode {
        CREATE,
        REPLACE,
        PATCH
    }

    boolean has(String field) {
        return present.contains(field);
    }

    static VisitInput read(JsonNode body, Mode mode) {
        JsonInput in = JsonInput.of(body).onlyFields(FIELDS, READ_ONLY);
        // The seed's PUT sends only the schedule (data_limite, data_de_atendimento, status): who, where and for whom
        // keep their values unless sent, while the schedule is replaced whole.
        boolean all = mode == Mode.CREATE;
        boolean schedule = mode != Mode.PATCH;
        Long idAtendimento = in.longValue("id_atendimento", 1, Long.MAX_VALUE, false);
        String clienteField = in.has("id_cliente") || !in.has("cliente_id") ? "id_cliente" : "cliente_id";
        if (in.has("id_cliente") && in.has("cliente_id")) {
            in.reject("cliente_id", "send either id_cliente or cliente_id, not both");
        }
        Long idCliente = in.longValue(clienteField, 1, Long.MAX_VALUE, all);
        if (in.has(clienteField) && !all && idCliente == null && in.valid()) {
            in.reject(clienteField, "must not be null");
        }
        String angel = name(in, "angel", all);
        String polo = name(in, "polo", all);
        LocalDate dataLimite = date(in, "data_limite", schedule);
        LocalDateTime dataDeAtendimento = dateTime(in, "data_de_atendimento");
        VisitStatus status = in.enumValue("status", VisitStatus.class, false);
        in.validate();
        Set<String> present = new java.util.HashSet<>(in.fields());
        if (present.remove("cliente_id")) {
            present.add("id_cliente");
        }
        if (mode != Mode.CREATE) {
            for (String field : List.of("angel", "polo", "data_limite", "id_cliente")) {
                if (present.contains(field)
                        && body.get(field.equals("id_cliente") ? clienteField : field)
                                .isNull()) {
                    throw com.relaycrm.platform.ApiProblem.invalid(
                            field.equals("id_cliente") ? clienteField : field, "must not be null");
                }
            }
        }
        return new VisitInput(
                Set.copyOf(present), idAtendimento, idCliente, angel, polo, dataLimite, dataDeAtendimento, status);
    }

    private static @Nullable String name(JsonInput in, String field, boolean required) {
        String text = in.string(field, 1, Names.MAX_LENGTH, required);
        return text == null ? null : Names.normalize(text);
    }

    private static @Nullable LocalDate date(JsonInput in, String field, boolean required) {
        DayFirstDates.Parsed parsed = parse(in, field, required);
        return parsed == null ? null : parsed.date();
    }

    private static @Nullable LocalDateTime dateTime(JsonInput in, String field) {
        DayFirstDates.Parsed parsed = parse(in, field, false);
        return parsed == null ? null : parsed.dateTime();
    }

    private static DayFirstDates.@Nullable Parsed parse(JsonInput in, String field, boolean required) {
        String text = in.string(field, 0, 40, required);
        if (text == null || text.isEmpty()) {
            if (text != null && required) {
                in.reject(field, "is required");
            }
            return null;
        }
        DayFirstDates.Parsed parsed = DayFirstDates.parse(text);
        if (parsed.problem() == DayFirstDates.Problem.IMPOSSIBLE) {
            in.reject(field, "is not a valid calendar date: " + text);
            return null;
        }
        if (!parsed.ok()) {
            in.reject(
                    field,
                    "must be a day-first date such as 2021-06-30, 2021-06-30T10:00:00 or 30/06/2021 10:00 ("
                            + DayFirstDates.ACCEPTED + ")");
            return null;
        }
        return parsed;
    }
}
