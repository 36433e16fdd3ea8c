package com.relaycrm.messaging;

/**
 * A message's text changed; published in the editing transaction (under the message's row lock).
 *
 * @param message the message after the edit, as its thread's event stream shows it
 */
public record MessageEdited(String threadId, String messageId, Object message) {}
