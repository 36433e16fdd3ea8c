package com.relaycrm.fieldservice.imports;

import java.io.InputStream;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads a stored upload back one block at a time. */
final class BlockInputStream extends InputStream {

    private final JdbcClient jdbc;
    private final UUID importId;
    private byte[] block = new byte[0];
    private int position;
    private int nextSeq;
    private boolean finished;
    private long consumed;

    BlockInputStream(JdbcClient jdbc, UUID importId) {
        this.jdbc = jdbc;
        this.importId = importId;
    }

    /** Bytes handed to the reader so far (the decoder reads ahead by at most a buffer). */
    long consumed() {
        return consumed;
    }

    private boolean load() {
        if (finished) {
            return false;
        }
        var next = jdbc.sql("SELECT data FROM fieldservice_import_block WHERE import_id = ? AND seq = ?")
                .param(importId)
                .param(nextSeq)
                .query(byte[].class)
                .optional();
        if (next.isEmpty()) {
            finished = true;
            return false;
        }
        nextSeq++;
        block = next.get();
        position = 0;
        return true;
    }

    @Override
    public int read() {
        while (position >= block.length) {
            if (!load()) {
                return -1;
            }
        }
        consumed++;
        return block[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (position >= block.length) {
            if (!load()) {
                return -1;
            }
        }
        int count = Math.min(length, block.length - position);
        System.arraycopy(block, position, target, offset, count);
        position += count;
        consumed += count;
        return count;
    }
}
