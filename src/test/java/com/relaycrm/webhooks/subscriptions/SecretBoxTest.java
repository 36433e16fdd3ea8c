package com.relaycrm.webhooks.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.relaycrm.platform.RelayProperties;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Signing secrets at rest: encrypted in PostgreSQL, under a key the database recognises. */
class SecretBoxTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    RelayProperties relay;

    /** The running application's key: generated into its data directory, as on a first start without the variable. */
    private SecretBox sameKey() throws Exception {
        SecretBox.Key key = new SecretBox.Key(null, relay.dataDir());
        return new SecretBox(key.bytes(), key.origin(), jdbc, transactions);
    }

    private record Stored(String secret, String previous) {}

    private Stored stored(long id) {
        return jdbc.sql("SELECT secret, coalesce(previous_secret, '') FROM webhooks_subscription WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2)))
                .single();
    }

    @Test
    void issuedAndRotatedSecretsAreStoredEncryptedAndOpenToWhatTheClientWasShown() throws Exception {
        ApiClient.Response created =
                api.post("/api/v1/webhooks", "{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"*\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        String secret = created.json().get("secret").asString();
        String keyPart = secret.substring(Signatures.PREFIX.length());

        Stored atRest = stored(id);
        assertThat(atRest.secret()).startsWith(SecretBox.SEALED).doesNotContain(keyPart);
        assertThat(sameKey().open(atRest.secret())).isEqualTo(secret);
        // opened secrets are kept by their exact sealed text: opening again gives the same secret, and a tampered
        // text is not found among them, so it is decrypted, and refused, as before
        SecretBox box = sameKey();
        assertThat(box.open(atRest.secret()))
                .isEqualTo(box.open(atRest.secret()))
                .isEqualTo(secret);
        int at = SecretBox.SEALED.length() + 20;
        char flipped = atRest.secret().charAt(at) == 'A' ? 'B' : 'A';
        String tampered =
                atRest.secret().substring(0, at) + flipped + atRest.secret().substring(at + 1);
        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(IllegalStateException.class);

        String next = api.post("/api/v1/webhooks/" + id + "/rotate-secret", "")
                .json()
                .get("secret")
                .asString();
        Stored rotated = stored(id);
        assertThat(rotated.secret()).startsWith(SecretBox.SEALED).doesNotContain(next.substring(6));
        assertThat(rotated.previous()).isEqualTo(atRest.secret());
        assertThat(sameKey().open(rotated.secret())).isEqualTo(next);
        // the same secret sealed twice differs (a fresh nonce each time)
        assertThat(sameKey().seal(secret)).isNotEqualTo(sameKey().seal(secret));
    }

    @Test
    void anInstanceWithAnotherKeyRefusesToStartAndTheDatabaseKeepsTheFirstKey() throws Exception {
        sameKey().register(); // as the first instance to issue a secret does
        byte[] other = new byte[32];
        other[0] = 1;
        SecretBox stranger = new SecretBox(other, "a stranger's key", jdbc, transactions);
        assertThatThrownBy(stranger::afterPropertiesSet)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RELAY_WEBHOOKS_SECRET_KEY is not the key this database's webhook secrets")
                .hasMessageContaining("that one is the key generated into "
                        + relay.dataDir()
                                .resolve(SecretBox.KEY_FILE)
                                .toAbsolutePath()
                                .normalize());
        sameKey().afterPropertiesSet();
        assertThat(jdbc.sql("SELECT count(*) FROM webhooks_secret_key")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void secretsAnEarlierVersionStoredInClearAreSealedAtStartUp() throws Exception {
        String clear = Signatures.newSecret();
        String clearPrevious = Signatures.newSecret();
        long id = jdbc.sql("""
                        INSERT INTO webhooks_subscription (url, events, secret, previous_secret, enabled, created_by,
                                                           created_at, updated_at)
                        VALUES ('https://receiver.test/old', '{*}', :secret, :previous, false, 'test', now(), now())
                        RETURNING id""")
                .param("secret", clear)
                .param("previous", clearPrevious)
                .query(Long.class)
                .single();

        SecretBox box = sameKey();
        box.afterPropertiesSet();

        Stored sealed = stored(id);
        assertThat(sealed.secret()).startsWith(SecretBox.SEALED);
        assertThat(sealed.previous()).startsWith(SecretBox.SEALED);
        assertThat(box.open(sealed.secret())).isEqualTo(clear);
        assertThat(box.open(sealed.previous())).isEqualTo(clearPrevious);
        assertThat(api.get("/api/v1/webhooks/" + id).json().get("secret_last4").asString())
                .isEqualTo(clear.substring(clear.length() - 4));
    }

    @Test
    void theKeyIsTheVariableWhenSetAndOtherwiseGeneratedOnceIntoTheDataDirectory(@TempDir Path dir) throws Exception {
        byte[] configured = new byte[32];
        configured[31] = 7;
        SecretBox.Key fromVariable = new SecretBox.Key(Base64.getEncoder().encodeToString(configured), dir);
        assertThat(fromVariable.bytes()).isEqualTo(configured);
        assertThat(fromVariable.origin()).isEqualTo("RELAY_WEBHOOKS_SECRET_KEY");
        assertThat(dir.resolve(SecretBox.KEY_FILE)).doesNotExist();
        assertThatThrownBy(() -> new SecretBox.Key("c2hvcnQ=", dir))
                .hasMessage(
                        "RELAY_WEBHOOKS_SECRET_KEY must be 32 random bytes in base64 (e.g. openssl rand -base64 32)");
        assertThatThrownBy(() -> new SecretBox.Key("not base64!", dir)).hasMessageContaining("32 random bytes");

        byte[] generated = new SecretBox.Key(null, dir).bytes();
        assertThat(generated).hasSize(32).isNotEqualTo(new byte[32]);
        Path file = dir.resolve(SecretBox.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        SecretBox.Key again = new SecretBox.Key("", dir);
        assertThat(again.bytes()).isEqualTo(generated);
        assertThat(again.origin())
                .startsWith("the key generated into " + file.toAbsolutePath().normalize() + " on ");
    }
}
