package com.relaycrm.messaging.threads;

import java.util.UUID;

/**
 * One change in a thread's stream: {@code seq} is the thread position it took (the SSE {@code id}), {@code data} the
 * JSON sent to clients. It travels between instances as a NOTIFY payload: "thread seq type json".
 */
record ThreadEvent(UUID threadId, long seq, String type, String data) {

    static final String CREATED = "message.created";
    static final String EDITED = "message.edited";
    static final String DELETED = "message.deleted";

    String payload() {
        return threadId + " " + seq + " " + type + " " + data;
    }

    static ThreadEvent parse(String payload) {
        String[] parts = payload.split(" ", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a messaging event payload");
        }
        return new ThreadEvent(UUID.fromString(parts[0]), Long.parseLong(parts[1]), parts[2], parts[3]);
    }
}
