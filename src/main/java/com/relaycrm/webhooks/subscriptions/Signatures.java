package com.relaycrm.webhooks.subscriptions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing (standardwebhooks.com): a secret is {@code whsec_} + base64 of random key bytes; the
 * signature of a message is {@code v1,} + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
 */
final class Signatures {

    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {}

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Signs many messages with the same secrets: each key is decoded and its HMAC keyed once, and every signature
     * starts from a copy of that keyed state (a delivery job signs a whole batch with one subscription's secrets).
     * Safe for concurrent use: the keyed originals are only ever copied.
     */
    static final class Signer {

        private final List<Mac> keyed;

        Signer(List<String> secrets) {
            this.keyed = secrets.stream().map(Signer::keyed).toList();
        }

        private static Mac keyed(String secret) {
            byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        /** The {@code webhook-signature} header: one {@code v1,} signature per secret, space-separated. */
        String sign(String messageId, long timestampSeconds, byte[] body) {
            byte[] head = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
            StringBuilder header = new StringBuilder();
            for (Mac original : keyed) {
                Mac mac = copy(original);
                mac.update(head);
                byte[] signed = mac.doFinal(body);
                if (!header.isEmpty()) {
                    header.append(' ');
                }
                header.append("v1,").append(Base64.getEncoder().encodeToString(signed));
            }
            return header.toString();
        }

        private static Mac copy(Mac original) {
            try {
                return (Mac) original.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
            }
        }
    }

    /** The last four characters, all a subscription ever shows of its secret after creation. */
    static String hint(String secret) {
        return secret.substring(secret.length() - 4);
    }
}
