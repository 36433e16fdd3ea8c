package com.relaycrm.profiles.building;

/** What one provider gave; a timeout is reported to clients as {@code error} but decides between 502 and 504. */
enum SourceStatus {
    OK("ok"),
    NOT_FOUND("not_found"),
    RATE_LIMITED("rate_limited"),
    ERROR("error"),
    TIMEOUT("timeout");

    private final String column;

    SourceStatus(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }

    String json() {
        return this == TIMEOUT ? "error" : column;
    }

    boolean cacheable() {
        return this == OK || this == NOT_FOUND;
    }

    static SourceStatus ofColumn(String column) {
        for (SourceStatus status : values()) {
            if (status.column.equals(column)) {
                return status;
            }
        }
        throw new IllegalArgumentException(column);
    }
}
