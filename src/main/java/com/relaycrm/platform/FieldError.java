package com.relaycrm.platform;

/** One invalid input, named by its JSON field or query parameter. */
public record FieldError(String field, String message) {}
