package com.relaycrm.fieldservice.imports;

import com.relaycrm.platform.ApiProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores an upload in PostgreSQL block by block while checking it, so any instance can run the import and no
 * instance ever holds the whole file. Nothing is kept if a check fails (one transaction).
 */
@Service
class ImportUploads {

    record Options(boolean dryRun, char delimiter, Charset charset, String username) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ImportProperties properties;
    private final Clock clock;

    ImportUploads(JdbcClient jdbc, TransactionTemplate transactions, ImportProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    UUID store(InputStream upload, Options options) {
        UUID id = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                            INSERT INTO fieldservice_import (id, state, dry_run, delimiter, encoding, column_index,
                                created_by, created_at)
                            VALUES (?, 'PENDING', ?, ',', ?, '{}', ?, ?)""")
                    .param(id)
                    .param(options.dryRun())
                    .param(options.charset().name())
                    .param(options.username())
                    .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                    .update();
            UploadCheck check = new UploadCheck(options.charset(), options.delimiter());
            long limit = properties.maxUploadSize().toBytes();
            byte[] block = new byte[(int) properties.blockSize().toBytes()];
            long total = 0;
            int seq = 0;
            while (true) {
                int length = fill(upload, block);
                if (length == 0) {
                    break;
                }
                total += length;
                if (total > limit) {
                    throw ApiProblem.payloadTooLarge("The upload exceeds the import size limit of "
                            + properties.maxUploadSize().toMegabytes() + " MB");
                }
                check.accept(block, length);
                jdbc.sql("INSERT INTO fieldservice_import_block (import_id, seq, data) VALUES (?, ?, ?)")
                        .param(id)
                        .param(seq++)
                        .param(length == block.length ? block : Arrays.copyOf(block, length))
                        .update();
            }
            if (total == 0) {
                throw ApiProblem.badRequest("Empty file: the upload has no bytes");
            }
            CsvLayout layout = check.finish();
            jdbc.sql("UPDATE fieldservice_import SET delimiter = ?, column_index = ?, total_bytes = ? WHERE id = ?")
                    .param(String.valueOf(layout.delimiter()))
                    .param(columnIndex(layout))
                    .param(total)
                    .param(id)
                    .update();
        });
        return id;
    }

    /** The header's field count first, then the position of each required column. */
    private static Integer[] columnIndex(CsvLayout layout) {
        Integer[] values = new Integer[layout.columnIndex().length + 1];
        values[0] = layout.fieldCount();
        for (int i = 0; i < layout.columnIndex().length; i++) {
            values[i + 1] = layout.columnIndex()[i];
        }
        return values;
    }

    private static int fill(InputStream in, byte[] block) {
        int length = 0;
        try {
            while (length < block.length) {
                int read = in.read(block, length, block.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
            }
        } catch (IOException e) {
            throw ApiProblem.badRequest("The upload could not be read to its end");
        }
        return length;
    }
}
