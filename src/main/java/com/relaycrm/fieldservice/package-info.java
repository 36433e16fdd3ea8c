/**
 * Field service (seed 004): visits (atendimentos) by technicians (angels) from hubs (polos) for clients, the CSV
 * import that loads them, and the SLA and productivity indicators computed from them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Field service")
@org.jspecify.annotations.NullMarked
package com.relaycrm.fieldservice;
