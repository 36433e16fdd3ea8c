package com.relaycrm.fieldservice.domain;

/** A visit is PENDING until attended (DONE); CANCELLED visits count in neither SLA nor productivity. */
public enum VisitStatus {
    PENDING,
    DONE,
    CANCELLED;

    public static VisitStatus defaultFor(boolean attended) {
        return attended ? DONE : PENDING;
    }
}
