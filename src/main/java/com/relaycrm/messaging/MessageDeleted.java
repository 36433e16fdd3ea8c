package com.relaycrm.messaging;

/**
 * A message was deleted (it stays as a tombstone); published in the deleting transaction, once per message.
 *
 * @param message the tombstone, as its thread's event stream shows it
 */
public record MessageDeleted(String threadId, String messageId, Object message) {}
