package com.relaycrm.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's superuser logs in with a password, never by {@code trust}: any local user could otherwise
 * connect to 127.0.0.1 and read or change everything (or run {@code COPY ... TO PROGRAM}). The password is random,
 * kept in {@code <data dir>/postgres-password} (0600), and set in single-user mode before the server first listens,
 * so no connection is ever accepted without it; a data directory created by an older Relay (with {@code trust}) is
 * converted the same way on its next start. Deleting the file while Relay is stopped sets a new password.
 */
final class EmbeddedDatabaseLogin {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseLogin.class);
    static final String PASSWORD_FILE = "postgres-password";
    static final String HBA_MARKER = "# Relay: SCRAM password logins only";

    private final Path passwordFile;
    private final String password;
    /** A new password: set it even in a data directory that is already Relay's (its file was deleted). */
    private final boolean generated;

    private EmbeddedDatabaseLogin(Path passwordFile, String password, boolean generated) {
        this.passwordFile = passwordFile;
        this.password = password;
        this.generated = generated;
    }

    /** The stored password, or a new one (written 0600 before it is ever used, so a crash cannot lose it). */
    static EmbeddedDatabaseLogin forDataDirectory(Path relayDataDir) throws IOException {
        Path file = relayDataDir.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!stored.isEmpty()) {
                restrict(file);
                return new EmbeddedDatabaseLogin(file, stored, false);
            }
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temp = relayDataDir.resolve(PASSWORD_FILE + ".new");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temp);
        }
        Files.writeString(temp, generated + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new EmbeddedDatabaseLogin(file, generated, true);
    }

    String password() {
        return password;
    }

    Path passwordFile() {
        return passwordFile;
    }

    /**
     * Run by zonky after initdb and before the postmaster starts. A data directory whose {@code pg_hba.conf} is not
     * Relay's is given the password (single-user mode: nothing listens) and then Relay's {@code pg_hba.conf}.
     */
    void secure(File dataDirectory) {
        Path dir = dataDirectory.toPath();
        Path hba = dir.resolve("pg_hba.conf");
        try {
            if (!generated && Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER)) {
                return;
            }
            setPassword(dir);
            Path temp = dir.resolve("pg_hba.conf.new");
            Files.writeString(
                    temp,
                    HBA_MARKER + " (the password is in " + passwordFile + ")\n"
                            + "local all all scram-sha-256\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n");
            Files.move(temp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("Embedded PostgreSQL now requires the password stored in {}", passwordFile);
        } catch (IOException e) {
            throw new IllegalStateException("Could not secure the embedded PostgreSQL in " + dir + ": " + e, e);
        }
    }

    private void setPassword(Path dataDir) throws IOException {
        List<String> command = new ArrayList<>();
        // As zonky does for initdb and the postmaster: PostgreSQL refuses to run as root.
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(
                binaries().resolve("bin/postgres").toString(),
                "--single",
                "-D",
                dataDir.toString(),
                "-c",
                "exit_on_error=true",
                "-c",
                "password_encryption=scram-sha-256",
                "postgres"));
        // The password goes through stdin, never the command line (visible to every local user in ps).
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "';\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("setting the password timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the password", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("postgres --single exited with " + process.exitValue());
        }
    }

    /**
     * Where zonky unpacked the PostgreSQL binaries. zonky does not expose it; it keeps the directory per binary
     * resolver in a static map, filled before the data directory customizer runs.
     */
    private static Path binaries() throws IOException {
        try {
            Field field = EmbeddedPostgres.class.getDeclaredField("PREPARE_BINARIES");
            field.setAccessible(true);
            Map<?, ?> prepared = (Map<?, ?>) field.get(null);
            for (Object value : prepared.values()) {
                if (value instanceof File dir && Files.isExecutable(dir.toPath().resolve("bin/postgres"))) {
                    return dir.toPath();
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot find the PostgreSQL binaries zonky unpacked", e);
        }
        throw new IOException("cannot find the PostgreSQL binaries zonky unpacked");
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own ACL applies.
        }
    }
}
