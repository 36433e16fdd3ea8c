package com.relaycrm.platform.security;

import com.relaycrm.platform.RelayProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Guarantees an admin token after start-up: {@code RELAY_ADMIN_TOKEN} when set, else one generated on the first
 * start and written to {@code <data dir>/admin-token} (0600). The log names the file, never the token: logs are
 * shipped and kept where the token must not be.
 */
@Component
@Order(0)
class AdminTokenBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenBootstrap.class);
    static final int MIN_CONFIGURED_LENGTH = 24;

    private final ApiTokens tokens;
    private final RelayProperties relay;

    AdminTokenBootstrap(ApiTokens tokens, RelayProperties relay) {
        this.tokens = tokens;
        this.relay = relay;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        String configured = relay.adminToken();
        if (configured != null) {
            if (configured.length() < MIN_CONFIGURED_LENGTH) {
                throw new IllegalStateException(
                        "RELAY_ADMIN_TOKEN must be at least " + MIN_CONFIGURED_LENGTH + " characters long");
            }
            if (tokens.installBootstrap(configured)) {
                log.info("Admin token installed from RELAY_ADMIN_TOKEN");
            }
            return;
        }
        if (tokens.hasLiveBootstrap()) {
            return;
        }
        Optional<String> generated = tokens.createBootstrapIfAbsent();
        if (generated.isEmpty()) {
            return;
        }
        Path file = relay.dataDir().resolve("admin-token").toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, generated.get() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            log.warn("Generated the admin API token; it is in {} (readable by this user only)", file);
        } catch (IOException | UnsupportedOperationException e) {
            // Without the file nobody could ever use the token; revoke it rather than print it.
            tokens.revokeBootstrap();
            throw new IllegalStateException(
                    "Could not save the generated admin token to " + file
                            + "; set RELAY_ADMIN_TOKEN or make the data directory writable",
                    e);
        }
    }
}
