package com.relaycrm.gistwatch.watching;

/** What one user's scan found: the resulting status and how many gists were new. */
public record ScanOutcome(String login, String status, int newGists, String detail) {}
