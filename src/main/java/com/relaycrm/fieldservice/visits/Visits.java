package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.VisitCreated;
import com.relaycrm.fieldservice.VisitUpdated;
import com.relaycrm.fieldservice.domain.Names;
import com.relaycrm.fieldservice.domain.VisitStatus;
import com.relaycrm.platform.ApiProblem;
import java.time.Clock;
import java.time.LocalDateTime;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Recording, correcting and removing visits; angels, polos and clients come into being on first use. */
@Service
class Visits {

    private final VisitRepository repository;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Visits(VisitRepository repository, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.repository = repository;
        this.clock = clock;
    }

    @Transactional
    VisitView record(VisitInput input) {
        VisitStatus status = statusFor(input.status(), input.dataDeAtendimento(), null);
        Long idAtendimento = input.idAtendimento();
        if (idAtendimento != null) {
            repository.liveIdByExternalId(idAtendimento).ifPresent(Visits::duplicate);
        }
        String polo = sent(input.polo(), "polo");
        long angelId = repository.angelId(sent(input.angel(), "angel"));
        long poloId = repository.poloId(polo, Names.ufOf(polo));
        long id = repository
                .insert(
                        idAtendimento,
                        sent(input.idCliente(), "id_cliente"),
                        angelId,
                        poloId,
                        sent(input.dataLimite(), "data_limite"),
                        input.dataDeAtendimento(),
                        status,
                        clock.instant())
                .orElseGet(() -> duplicate(existingId(idAtendimento)));
        VisitView created = repository.find(id).orElseThrow();
        events.publishEvent(new VisitCreated(id, created));
        return created;
    }

    @Transactional
    VisitView change(long id, VisitInput input, boolean replace) {
        VisitRepository.VisitRow current = repository.lock(id).orElseThrow(() -> notFound(id));
        Long idAtendimento = input.has("id_atendimento") ? input.idAtendimento() : current.idAtendimento();
        if (idAtendimento != null && !idAtendimento.equals(current.idAtendimento())) {
            repository.liveIdByExternalId(idAtendimento).ifPresent(Visits::duplicate);
        }
        long idCliente = input.has("id_cliente") ? sent(input.idCliente(), "id_cliente") : current.idCliente();
        long angelId = input.has("angel") ? repository.angelId(sent(input.angel(), "angel")) : current.angelId();
        long poloId;
        if (input.has("polo")) {
            String polo = sent(input.polo(), "polo");
            poloId = repository.poloId(polo, Names.ufOf(polo));
        } else {
            poloId = current.poloId();
        }
        LocalDateTime visited =
                replace || input.has("data_de_atendimento") ? input.dataDeAtendimento() : current.dataDeAtendimento();
        VisitStatus status;
        if (input.status() != null) {
            status = statusFor(input.status(), visited, null);
        } else if (replace) {
            status = VisitStatus.defaultFor(visited != null);
        } else if (current.status() == VisitStatus.CANCELLED) {
            status = VisitStatus.CANCELLED;
        } else {
            status = VisitStatus.defaultFor(visited != null);
        }
        var changed = new VisitRepository.VisitRow(
                id,
                idAtendimento,
                idCliente,
                angelId,
                poloId,
                input.has("data_limite") ? sent(input.dataLimite(), "data_limite") : current.dataLimite(),
                visited,
                status);
        try {
            repository.update(changed, clock.instant());
        } catch (org.springframework.dao.DuplicateKeyException e) {
            duplicate(existingId(idAtendimento));
        }
        VisitView changedView = repository.find(id).orElseThrow();
        events.publishEvent(new VisitUpdated(id, changedView));
        return changedView;
    }

    @Transactional
    void remove(long id) {
        if (!repository.softDelete(id, clock.instant())) {
            throw notFound(id);
        }
    }

    VisitView get(long id) {
        return repository.find(id).orElseThrow(() -> notFound(id));
    }

    private static VisitStatus statusFor(
            @Nullable VisitStatus explicit, @Nullable LocalDateTime visited, @Nullable VisitStatus fallback) {
        if (explicit == null) {
            return fallback != null ? fallback : VisitStatus.defaultFor(visited != null);
        }
        if (explicit == VisitStatus.DONE && visited == null) {
            throw ApiProblem.invalid("status", "DONE requires data_de_atendimento");
        }
        if (explicit == VisitStatus.PENDING && visited != null) {
            throw ApiProblem.invalid("status", "PENDING means not yet attended; data_de_atendimento must be empty");
        }
        return explicit;
    }

    /**
     * A field VisitInput.read requires on create and replace, and refuses as null on a patch that sends it: present
     * here, though its type cannot say so.
     */
    private static <T> T sent(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalStateException(field + " was validated as present by VisitInput.read");
        }
        return value;
    }

    /** The live visit holding this external id; none when the id is null (nulls never conflict). */
    private @Nullable Long existingId(@Nullable Long idAtendimento) {
        return idAtendimento == null
                ? null
                : repository.liveIdByExternalId(idAtendimento).orElse(null);
    }

    private static long duplicate(@Nullable Long existing) {
        ApiProblem problem = ApiProblem.conflict("A visit with this id_atendimento already exists");
        if (existing != null) {
            problem.with("existing_id", existing);
        }
        throw problem;
    }

    static ApiProblem notFound(long id) {
        return ApiProblem.notFound("No visit (atendimento) with id " + id);
    }
}
