package com.relaycrm.fieldservice.imports;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * CSV import settings ({@code RELAY_FIELDSERVICE_IMPORT_MAX_UPLOAD_SIZE} and friends). Multipart uploads are also
 * bounded by the platform's {@code RELAY_MAX_UPLOAD_SIZE} (512 MB); raw bodies only by this limit.
 */
@ConfigurationProperties("relay.fieldservice.import")
public record ImportProperties(
        @DefaultValue("512MB") DataSize maxUploadSize,
        @DefaultValue("50000") int chunkRows,
        @DefaultValue("1MB") DataSize blockSize,
        @DefaultValue("1000") int errorsShown) {

    public ImportProperties {
        if (maxUploadSize.toBytes() < 1) {
            throw new IllegalArgumentException("RELAY_FIELDSERVICE_IMPORT_MAX_UPLOAD_SIZE must be positive");
        }
        if (chunkRows < 1 || chunkRows > 1_000_000) {
            throw new IllegalArgumentException("RELAY_FIELDSERVICE_IMPORT_CHUNK_ROWS must be 1-1000000");
        }
        if (blockSize.toBytes() < 1024 || blockSize.toBytes() > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("RELAY_FIELDSERVICE_IMPORT_BLOCK_SIZE must be 1KB-64MB");
        }
        if (errorsShown < 0) {
            throw new IllegalArgumentException("RELAY_FIELDSERVICE_IMPORT_ERRORS_SHOWN must not be negative");
        }
    }
}
