package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.platform.RelayProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps webhook signing secrets encrypted in PostgreSQL (AES-256-GCM). They cannot be hashed like API tokens, since
 * signing needs the secret itself; encrypted, a database dump, a backup or a read-only SQL leak does not let anyone
 * forge Relay's webhooks.
 *
 * <p>The key is {@code RELAY_WEBHOOKS_SECRET_KEY} (base64 of 32 bytes), which every instance sharing a database must
 * be given. Without it, one is generated at the first start into {@code <data dir>/webhooks-secret-key} (0600), which
 * suits one instance. The database keeps a fingerprint of the key its secrets are sealed with (and where that key
 * came from), and an instance whose key differs refuses to start rather than sign with secrets it cannot read.
 * Secrets stored in clear by an earlier version are sealed at start-up.
 */
@Component
class SecretBox implements InitializingBean {

    static final String SEALED = "enc:v1:";
    static final String KEY_VARIABLE = "RELAY_WEBHOOKS_SECRET_KEY";
    static final String KEY_FILE = "webhooks-secret-key";

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Binds a ciphertext to its purpose, so a sealed value taken from elsewhere does not open as a secret. */
    private static final byte[] CONTEXT = "relay webhooks signing secret".getBytes(StandardCharsets.UTF_8);

    private final SecretKey key;
    private final String fingerprint;
    /** Where the key came from, stored beside its fingerprint so a mismatch can say which key to use. */
    private final String origin;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    /** Registers the key in a transaction of its own: a subscription's rolled-back creation must not undo it. */
    private final TransactionTemplate ownTransaction;
    /**
     * Secrets already opened, by their sealed text (unique per sealing: a fresh nonce each time). A delivery job reads
     * its subscription for every batch; without this each read ran AES-GCM, about as much CPU as the batch's reads.
     * Bounded by clearing: a rotation leaves the old sealed text behind.
     */
    private final Map<String, String> opened = new ConcurrentHashMap<>();

    private static final int OPENED_LIMIT = 10_000;

    /** Set once the database is known to hold this key's fingerprint. */
    private volatile boolean registered;

    @Autowired
    SecretBox(Environment environment, RelayProperties relay, JdbcClient jdbc, TransactionTemplate transactions)
            throws IOException {
        this(new Key(environment.getProperty("relay.webhooks.secret-key"), relay.dataDir()), jdbc, transactions);
    }

    private SecretBox(Key key, JdbcClient jdbc, TransactionTemplate transactions) {
        this(key.bytes(), key.origin(), jdbc, transactions);
    }

    SecretBox(byte[] key, String origin, JdbcClient jdbc, TransactionTemplate transactions) {
        this.key = new SecretKeySpec(key, "AES");
        this.fingerprint = fingerprint(key);
        this.origin = origin;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ownTransaction = new TransactionTemplate(Objects.requireNonNull(transactions.getTransactionManager()));
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * At start-up: an instance whose key is not the database's refuses to start, and secrets an earlier version stored
     * in clear are sealed. A database without subscriptions learns its key with the first secret, so instances that
     * never use webhooks need not share one.
     */
    @Override
    public void afterPropertiesSet() {
        boolean keyed = jdbc.sql("""
                        SELECT EXISTS (SELECT FROM webhooks_secret_key) OR EXISTS (SELECT FROM webhooks_subscription)""").query(Boolean.class).single();
        if (!keyed) {
            return;
        }
        register();
        int sealed = Objects.requireNonNull(transactions.execute(status -> sealClearSecrets()));
        if (sealed > 0) {
            log.info("Encrypted the signing secrets of {} webhook subscriptions stored in clear", sealed);
        }
    }

    /** Records this key as the database's if it has none; throws if the database's is another. */
    void register() {
        if (registered) {
            return;
        }
        ownTransaction.executeWithoutResult(status -> check());
        registered = true;
    }

    private void check() {
        jdbc.sql("""
                        INSERT INTO webhooks_secret_key (fingerprint, origin) VALUES (:fingerprint, :origin)
                        ON CONFLICT DO NOTHING""").param("fingerprint", fingerprint).param("origin", origin).update();
        record Stored(String fingerprint, String origin) {}
        Stored stored = jdbc.sql("SELECT fingerprint, origin FROM webhooks_secret_key")
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2)))
                .single();
        if (!MessageDigest.isEqual(
                stored.fingerprint().getBytes(StandardCharsets.US_ASCII),
                fingerprint.getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalStateException(KEY_VARIABLE
                    + " is not the key this database's webhook secrets are encrypted with (that one is "
                    + stored.origin() + "); give every instance sharing the database that key");
        }
    }

    private int sealClearSecrets() {
        record Clear(long id, String secret, @Nullable String previous) {}
        List<Clear> clear = jdbc.sql("""
                        SELECT id, secret, previous_secret FROM webhooks_subscription
                        WHERE secret NOT LIKE 'enc:%' OR previous_secret NOT LIKE 'enc:%' FOR UPDATE""")
                .query((rs, n) -> new Clear(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
        for (Clear row : clear) {
            String previous = row.previous();
            jdbc.sql("UPDATE webhooks_subscription SET secret = :secret, previous_secret = :previous WHERE id = :id")
                    .param("secret", sealIfClear(row.secret()))
                    .param("previous", previous == null ? null : sealIfClear(previous))
                    .param("id", row.id())
                    .update();
        }
        return clear.size();
    }

    private String sealIfClear(String value) {
        return value.startsWith("enc:") ? value : seal(value);
    }

    /** Seals a secret for storage, first making sure the database knows this key (see {@link #register()}). */
    String seal(String secret) {
        register();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(CONTEXT);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return SEALED + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    String open(String stored) {
        String secret = opened.get(stored);
        if (secret == null) {
            secret = decrypt(stored);
            if (opened.size() >= OPENED_LIMIT) {
                opened.clear();
            }
            opened.put(stored, secret);
        }
        return secret;
    }

    private String decrypt(String stored) {
        if (!stored.startsWith(SEALED)) {
            throw new IllegalStateException("A webhook secret is not sealed with " + SEALED.replace(":", ""));
        }
        byte[] in = Base64.getDecoder().decode(stored.substring(SEALED.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(CONTEXT);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "A webhook secret does not open with this instance's " + KEY_VARIABLE
                            + " (the database's key is named in webhooks_secret_key.origin)",
                    e);
        }
    }

    /** The key and where it came from: the variable when set, else the data directory's file (made if missing). */
    record Key(byte[] bytes, String origin) {

        Key(@Nullable String configured, Path dataDir) throws IOException {
            this(
                    read(configured, dataDir),
                    configured != null && !configured.isBlank()
                            ? KEY_VARIABLE
                            : "the key generated into "
                                    + dataDir.resolve(KEY_FILE).toAbsolutePath().normalize() + " on " + host());
        }

        private static byte[] read(@Nullable String configured, Path dataDir) throws IOException {
            if (configured != null && !configured.isBlank()) {
                return decodeKey(configured.strip(), KEY_VARIABLE);
            }
            Path file = dataDir.resolve(KEY_FILE).toAbsolutePath().normalize();
            if (!Files.exists(file)) {
                byte[] generated = new byte[32];
                RANDOM.nextBytes(generated);
                Files.createDirectories(file.getParent());
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(generated) + "\n");
                    log.warn(
                            "Generated the key that encrypts webhook secrets in {}; instances sharing this database"
                                    + " need the same key ({})",
                            file,
                            KEY_VARIABLE);
                    return generated;
                } catch (FileAlreadyExistsException raced) {
                    // another instance sharing the data directory wrote it first: use that one
                }
            }
            return decodeKey(Files.readString(file).strip(), file.toString());
        }

        private static String host() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "an unnamed host";
            }
        }
    }

    private static byte[] decodeKey(String text, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new IllegalStateException(
                    source + " must be 32 random bytes in base64 (e.g. openssl rand -base64 32)");
        }
        return key;
    }

    /** Names the key without revealing it: an HMAC of a fixed text. */
    private static String fingerprint(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal("relay webhooks key check".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
