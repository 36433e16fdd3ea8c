package com.relaycrm.messaging;

import java.util.List;

/** What other modules may ask of messaging: open a thread and post into it on behalf of a username. */
public interface MessagingApi {

    /** Opens a new thread for 2-100 distinct usernames and returns its opaque id. */
    String openThread(List<String> usernames, String openedBy);

    /** Posts {@code text} as {@code username}, who must take part in the thread; returns the message's seq. */
    long post(String threadId, String username, String text);
}
