package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.platform.ApiProblem;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Subscriptions in PostgreSQL; the secret leaves this class only for signing and once, when it is issued. Secrets are
 * stored sealed by the {@link SecretBox} and opened as rows are read.
 */
@Service
class Subscriptions {

    private static final String COLUMNS = """
            id, url, events, description, enabled, secret, previous_secret, previous_secret_until, disabled_reason,
            failing_since, created_by, created_at, updated_at""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WebhooksProperties properties;
    private final SecretBox secrets;

    Subscriptions(JdbcClient jdbc, Clock clock, WebhooksProperties properties, SecretBox secrets) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.secrets = secrets;
    }

    /** A subscription row, secrets included: never serialised as such (see {@link View}). */
    record Row(
            long id,
            String url,
            List<String> events,
            @Nullable String description,
            boolean enabled,
            String secret,
            @Nullable String previousSecret,
            @Nullable OffsetDateTime previousSecretUntil,
            @Nullable String disabledReason,
            @Nullable OffsetDateTime failingSince,
            String createdBy,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        /** Without the secrets, so a logged row never shows them. */
        @Override
        public String toString() {
            return "Subscription[id=" + id + ", url=" + url + ", events=" + events + ", enabled=" + enabled + "]";
        }

        /** The secrets deliveries are signed with now: the current one, and the previous one while it is valid. */
        List<String> signingSecrets(OffsetDateTime now) {
            String previous = previousSecret;
            OffsetDateTime until = previousSecretUntil;
            return previous != null && until != null && until.isAfter(now)
                    ? List.of(secret, previous)
                    : List.of(secret);
        }
    }

    /** The API's representation; {@code secret} is set only in the answer that issues it. */
    record View(
            long id,
            String url,
            List<String> events,
            @Nullable String description,
            boolean enabled,
            @Nullable String secret,
            String secretLast4,
            @Nullable OffsetDateTime previousSecretExpiresAt,
            @Nullable String disabledReason,
            @Nullable OffsetDateTime failingSince,
            String createdBy,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        static View of(Row row, boolean withSecret, OffsetDateTime now) {
            OffsetDateTime until = row.previousSecretUntil();
            return new View(
                    row.id(),
                    row.url(),
                    row.events(),
                    row.description(),
                    row.enabled(),
                    withSecret ? row.secret() : null,
                    Signatures.hint(row.secret()),
                    until != null && until.isAfter(now) ? until : null,
                    row.disabledReason(),
                    row.failingSince(),
                    row.createdBy(),
                    row.createdAt(),
                    row.updatedAt());
        }
    }

    record Changes(
            @Nullable String url,
            @Nullable List<String> events,
            boolean descriptionSent,
            @Nullable String description,
            @Nullable Boolean enabled) {}

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    @Transactional
    Row create(String url, List<String> events, @Nullable String description, boolean enabled, String username) {
        OffsetDateTime now = now();
        return jdbc.sql("INSERT INTO webhooks_subscription (url, events, description, enabled, secret, created_by,"
                        + " created_at, updated_at) VALUES (:url, :events, :description, :enabled, :secret, :by, :now,"
                        + " :now) RETURNING " + COLUMNS)
                .param("url", url)
                .param("events", events.toArray(String[]::new))
                .param("description", description)
                .param("enabled", enabled)
                .param("secret", secrets.seal(Signatures.newSecret()))
                .param("by", username)
                .param("now", now)
                .query(this::map)
                .single();
    }

    Optional<Row> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks_subscription WHERE id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    Row get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    List<Row> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks_subscription ORDER BY id")
                .query(this::map)
                .list();
    }

    List<Long> enabledIds() {
        return jdbc.sql("SELECT id FROM webhooks_subscription WHERE enabled ORDER BY id")
                .query((rs, n) -> rs.getLong(1))
                .list();
    }

    @Transactional
    Row update(long id, Changes changes) {
        Row current = jdbc.sql("SELECT " + COLUMNS + " FROM webhooks_subscription WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> notFound(id));
        Boolean enabled = changes.enabled();
        boolean enabling = enabled != null && enabled && !current.enabled();
        String url = changes.url();
        List<String> events = changes.events();
        return jdbc.sql("""
                        UPDATE webhooks_subscription SET url = :url, events = :events, description = :description,
                            enabled = :enabled, updated_at = :now,
                            disabled_reason = CASE WHEN :enabling THEN NULL ELSE disabled_reason END,
                            failing_since = CASE WHEN :enabling THEN NULL ELSE failing_since END
                        WHERE id = :id RETURNING""" + " " + COLUMNS)
                .param("url", url != null ? url : current.url())
                .param("events", (events != null ? events : current.events()).toArray(String[]::new))
                .param("description", changes.descriptionSent() ? changes.description() : current.description())
                .param("enabled", enabled != null ? enabled : current.enabled())
                .param("enabling", enabling)
                .param("now", now())
                .param("id", id)
                .query(this::map)
                .single();
    }

    /**
     * Deletes the subscription and its delivery log. A change committing at this moment may still add a delivery
     * (its outbox read the subscription before this commits); the tombstone lets the retention task remove it.
     */
    @Transactional
    void delete(long id) {
        if (jdbc.sql("DELETE FROM webhooks_subscription WHERE id = :id")
                        .param("id", id)
                        .update()
                == 0) {
            throw notFound(id);
        }
        jdbc.sql("DELETE FROM webhooks_delivery WHERE subscription_id = :id")
                .param("id", id)
                .update();
        jdbc.sql("INSERT INTO webhooks_subscription_deleted (id, deleted_at) VALUES (:id, :now)")
                .param("id", id)
                .param("now", now())
                .update();
    }

    /** A new secret; the one it replaces keeps signing (as a second signature) for the configured validity. */
    @Transactional
    Row rotate(long id) {
        OffsetDateTime now = now();
        return jdbc.sql("""
                        UPDATE webhooks_subscription SET previous_secret = secret, previous_secret_until = :until,
                            secret = :secret, updated_at = :now
                        WHERE id = :id RETURNING""" + " " + COLUMNS)
                .param("until", now.plus(properties.previousSecretValidity()))
                .param("secret", secrets.seal(Signatures.newSecret()))
                .param("now", now)
                .param("id", id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> notFound(id));
    }

    /** Disables a subscription the deliveries gave up on, saying why; a subscription disabled already keeps its reason. */
    void disable(long id, String reason) {
        jdbc.sql("""
                        UPDATE webhooks_subscription SET enabled = false, disabled_reason = :reason, updated_at = :now
                        WHERE id = :id AND enabled""")
                .param("reason", reason)
                .param("now", now())
                .param("id", id)
                .update();
    }

    /** Records a failed delivery; returns since when the subscription has been failing without a success. */
    OffsetDateTime failed(long id, OffsetDateTime now) {
        return jdbc.sql("""
                        UPDATE webhooks_subscription SET failing_since = coalesce(failing_since, :now)
                        WHERE id = :id RETURNING failing_since""")
                .param("now", now)
                .param("id", id)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
                .optional()
                .orElse(now);
    }

    void succeeded(long id) {
        jdbc.sql("UPDATE webhooks_subscription SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL")
                .param("id", id)
                .update();
    }

    static ApiProblem notFound(long id) {
        return ApiProblem.notFound("Webhook subscription " + id + " does not exist");
    }

    private Row map(ResultSet rs, int row) throws SQLException {
        String previous = rs.getString("previous_secret");
        return new Row(
                rs.getLong("id"),
                rs.getString("url"),
                strings(rs.getArray("events")),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                secrets.open(rs.getString("secret")),
                previous == null ? null : secrets.open(previous),
                rs.getObject("previous_secret_until", OffsetDateTime.class),
                rs.getString("disabled_reason"),
                rs.getObject("failing_since", OffsetDateTime.class),
                rs.getString("created_by"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
