package com.relaycrm.gistwatch.deals;

/** The deal title: {@code "<login>: <description or first file name> (gist <id>)"}, within Pipedrive's 255. */
final class DealTitles {

    static final int MAX_LENGTH = 255;

    private DealTitles() {}

    static String marker(String gistId) {
        return "(gist " + gistId + ")";
    }

    static String title(String login, String description, String firstFileName, String gistId) {
        String subject = description != null && !description.isBlank()
                ? description.strip().replaceAll("\\s+", " ")
                : firstFileName != null && !firstFileName.isBlank() ? firstFileName.strip() : "untitled";
        String prefix = login + ": ";
        String suffix = " " + marker(gistId);
        int room = MAX_LENGTH - prefix.length() - suffix.length();
        if (subject.codePointCount(0, subject.length()) > room) {
            int end = subject.offsetByCodePoints(0, Math.max(0, room - 3));
            subject = subject.substring(0, end) + "...";
        }
        return prefix + subject + suffix;
    }
}
