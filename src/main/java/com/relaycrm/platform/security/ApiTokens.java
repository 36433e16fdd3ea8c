package com.relaycrm.platform.security;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Role;
import com.relaycrm.platform.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Issues, checks and revokes API tokens. The secret is 256 random bits, shown once; the database keeps only its
 * SHA-256, and every check reads the database so a revocation holds on every instance at once.
 */
@Service
public class ApiTokens implements TokenCheck {

    static final String PREFIX = "rly_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Clock clock;

    ApiTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record TokenView(
            long id,
            String username,
            List<String> roles,
            OffsetDateTime createdAt,
            String createdBy,
            OffsetDateTime revokedAt) {}

    public record IssuedToken(TokenView view, String token) {}

    public IssuedToken issue(String username, Set<Role> roles, String createdBy) {
        String secret = newSecret();
        long id = jdbc.sql("""
                INSERT INTO platform_api_token (username, roles, token_hash, created_at, created_by)
                VALUES (:username, :roles, :hash, :now, :createdBy) RETURNING id""")
                .param("username", username)
                .param("roles", roleNames(roles))
                .param("hash", hash(secret))
                .param("now", OffsetDateTime.now(clock))
                .param("createdBy", createdBy)
                .query(Long.class)
                .single();
        return new IssuedToken(find(id).orElseThrow(), secret);
    }

    /** Installs {@code secret} as the bootstrap admin token, replacing an earlier bootstrap token if it differs. */
    boolean installBootstrap(String secret) {
        byte[] hash = hash(secret);
        boolean present =
                jdbc.sql("SELECT count(*) FROM platform_api_token WHERE token_hash = :hash AND revoked_at IS NULL")
                                .param("hash", hash)
                                .query(Long.class)
                                .single()
                        > 0;
        if (present) {
            return false;
        }
        jdbc.sql("UPDATE platform_api_token SET revoked_at = :now WHERE bootstrap AND revoked_at IS NULL")
                .param("now", OffsetDateTime.now(clock))
                .update();
        return jdbc.sql("""
                INSERT INTO platform_api_token (username, roles, token_hash, bootstrap, created_at, created_by)
                VALUES ('admin', :roles, :hash, TRUE, :now, 'bootstrap')
                ON CONFLICT DO NOTHING""")
                        .param("roles", new String[] {Role.ADMIN.name()})
                        .param("hash", hash)
                        .param("now", OffsetDateTime.now(clock))
                        .update()
                == 1;
    }

    boolean hasLiveBootstrap() {
        return jdbc.sql("SELECT count(*) FROM platform_api_token WHERE bootstrap AND revoked_at IS NULL")
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Revokes the live bootstrap token (one that could not be saved anywhere an operator could read it). */
    void revokeBootstrap() {
        jdbc.sql("UPDATE platform_api_token SET revoked_at = :now WHERE bootstrap AND revoked_at IS NULL")
                .param("now", OffsetDateTime.now(clock))
                .update();
    }

    /** Inserts a generated bootstrap token unless another instance already did. */
    Optional<String> createBootstrapIfAbsent() {
        String secret = newSecret();
        int inserted = jdbc.sql("""
                INSERT INTO platform_api_token (username, roles, token_hash, bootstrap, created_at, created_by)
                VALUES ('admin', :roles, :hash, TRUE, :now, 'bootstrap')
                ON CONFLICT DO NOTHING""")
                .param("roles", new String[] {Role.ADMIN.name()})
                .param("hash", hash(secret))
                .param("now", OffsetDateTime.now(clock))
                .update();
        return inserted == 1 ? Optional.of(secret) : Optional.empty();
    }

    @Override
    public Optional<Actor> live(long tokenId) {
        return jdbc.sql("SELECT id, username, roles FROM platform_api_token WHERE id = :id AND revoked_at IS NULL")
                .param("id", tokenId)
                .query((rs, row) -> new Actor(rs.getLong("id"), rs.getString("username"), roles(rs.getArray("roles"))))
                .optional();
    }

    @Override
    public Set<Long> liveAmong(Collection<Long> tokenIds) {
        if (tokenIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT id FROM platform_api_token WHERE id = ANY(:ids) AND revoked_at IS NULL")
                .param("ids", tokenIds.toArray(Long[]::new))
                .query((rs, row) -> rs.getLong("id"))
                .list());
    }

    @Override
    public Optional<Actor> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) && secret.length() < 24 || secret.length() > 512) {
            return Optional.empty();
        }
        return jdbc.sql(
                        "SELECT id, username, roles FROM platform_api_token WHERE token_hash = :hash AND revoked_at IS NULL")
                .param("hash", hash(secret))
                .query((rs, row) -> new Actor(rs.getLong("id"), rs.getString("username"), roles(rs.getArray("roles"))))
                .optional();
    }

    public List<TokenView> list() {
        return jdbc.sql("SELECT * FROM platform_api_token ORDER BY id")
                .query(ApiTokens::view)
                .list();
    }

    public Optional<TokenView> find(long id) {
        return jdbc.sql("SELECT * FROM platform_api_token WHERE id = :id")
                .param("id", id)
                .query(ApiTokens::view)
                .optional();
    }

    public void revoke(long id) {
        int updated = jdbc.sql("UPDATE platform_api_token SET revoked_at = coalesce(revoked_at, :now) WHERE id = :id")
                .param("now", OffsetDateTime.now(clock))
                .param("id", id)
                .update();
        if (updated == 0) {
            throw ApiProblem.notFound("Token " + id + " does not exist");
        }
    }

    private static TokenView view(ResultSet rs, int row) throws SQLException {
        return new TokenView(
                rs.getLong("id"),
                rs.getString("username"),
                roles(rs.getArray("roles")).stream().map(Enum::name).sorted().toList(),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getString("created_by"),
                rs.getObject("revoked_at", OffsetDateTime.class));
    }

    private static Set<Role> roles(Array array) throws SQLException {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (Object name : (Object[]) array.getArray()) {
            Arrays.stream(Role.values()).filter(r -> r.name().equals(name)).forEach(roles::add);
        }
        return roles;
    }

    private static String[] roleNames(Set<Role> roles) {
        return roles.stream().map(Enum::name).sorted().toArray(String[]::new);
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
