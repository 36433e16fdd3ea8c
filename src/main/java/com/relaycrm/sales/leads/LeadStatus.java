package com.relaycrm.sales.leads;

import java.util.List;

/** The seed's lead statuses (case-sensitive) and which moves between them are allowed. */
final class LeadStatus {

    static final String NEW = "New";
    static final String WON = "Won";
    static final String LOST = "Lost";
    static final List<String> ALL = List.of("New", "Contacted", "Qualified", "Proposal", "Negotiation", WON, LOST);

    private LeadStatus() {}

    static boolean isOpen(String status) {
        return !WON.equals(status) && !LOST.equals(status);
    }

    /**
     * Open statuses move freely, to each other and to Won or Lost; Lost may reopen or be won after all; Won is
     * final (Won to Won is allowed as an idempotent repeat).
     */
    static boolean canMove(String from, String to) {
        return !WON.equals(from) || WON.equals(to);
    }
}
