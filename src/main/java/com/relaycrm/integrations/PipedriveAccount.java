package com.relaycrm.integrations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where and as whom to call Pipedrive. The key never appears in {@link #toString()}. */
public record PipedriveAccount(String baseUrl, String apiKey) {

    /** A stable, non-reversible name for the key, so "the key changed" can be told without storing the key. */
    public String keyFingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PipedriveAccount[baseUrl=" + baseUrl + ", apiKey=***]";
    }
}
