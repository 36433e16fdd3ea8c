/**
 * Outbound webhooks: admins subscribe URLs to events of the other modules; each event is written to an outbox in
 * the transaction of the change that caused it and delivered, signed the Standard Webhooks way, by db-scheduler jobs
 * on any instance, retried with backoff, in commit order per resource.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Webhooks")
@org.jspecify.annotations.NullMarked
package com.relaycrm.webhooks;
