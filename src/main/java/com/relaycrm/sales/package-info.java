/**
 * Sales CRM (seed 002, Piper CRM): employees, leads and customers, with the atomic conversion of a won lead into
 * exactly one customer. Other modules use {@link com.relaycrm.sales.LeadsApi} and react to
 * {@link com.relaycrm.sales.LeadConverted}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sales")
@org.jspecify.annotations.NullMarked
package com.relaycrm.sales;
