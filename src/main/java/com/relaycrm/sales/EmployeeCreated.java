package com.relaycrm.sales;

/**
 * An employee was created; published in the creating transaction.
 *
 * @param employee the employee as {@code GET /employees/{id}} returns it
 */
public record EmployeeCreated(long employeeId, Object employee) {}
