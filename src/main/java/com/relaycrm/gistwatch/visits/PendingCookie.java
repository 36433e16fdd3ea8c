package com.relaycrm.gistwatch.visits;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cookie of a first {@code /getGists} visit: {@code <random>.<issued epoch s>.<horizon>.<view>.<mac>}, the view
 * base64url-encoded and the whole HMAC-SHA256 signed, so a returning client proves what it was shown without a row.
 */
final class PendingCookie {

    record Claims(Instant issuedAt, long horizon, String view) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PendingCookie() {}

    static String issue(byte[] key, String view, long horizon, Instant now) {
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        String body = ENCODER.encodeToString(nonce) + "." + now.getEpochSecond() + "." + horizon + "."
                + ENCODER.encodeToString(view.getBytes(StandardCharsets.UTF_8));
        return body + "." + ENCODER.encodeToString(mac(key, body));
    }

    static Optional<Claims> verify(byte[] key, String cookie) {
        int last = cookie.lastIndexOf('.');
        if (last < 0) {
            return Optional.empty();
        }
        String body = cookie.substring(0, last);
        try {
            if (!MessageDigest.isEqual(mac(key, body), DECODER.decode(cookie.substring(last + 1)))) {
                return Optional.empty();
            }
            String[] parts = body.split("\\.", -1);
            if (parts.length != 4) {
                return Optional.empty();
            }
            return Optional.of(new Claims(
                    Instant.ofEpochSecond(Long.parseLong(parts[1])),
                    Long.parseLong(parts[2]),
                    new String(DECODER.decode(parts[3]), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | java.time.DateTimeException malformed) {
            return Optional.empty();
        }
    }

    private static byte[] mac(byte[] key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
