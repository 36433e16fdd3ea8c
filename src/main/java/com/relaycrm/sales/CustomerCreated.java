package com.relaycrm.sales;

/**
 * A customer was created, by {@code POST /customers} or by the conversion of a won lead; published in the creating
 * transaction.
 *
 * @param customer the customer as {@code GET /customers/{id}} returns it
 */
public record CustomerCreated(long customerId, Object customer) {}
