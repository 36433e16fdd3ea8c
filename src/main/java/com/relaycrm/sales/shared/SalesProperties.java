package com.relaycrm.sales.shared;

import java.util.Currency;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sales settings ({@code RELAY_SALES_DEFAULT_CURRENCY}).
 *
 * @param defaultCurrency ISO 4217 code given to leads created without a currency
 */
@ConfigurationProperties("relay.sales")
public record SalesProperties(@DefaultValue("USD") String defaultCurrency) {

    public SalesProperties {
        if (defaultCurrency == null || !defaultCurrency.matches("[A-Z]{3}") || !isIsoCurrency(defaultCurrency)) {
            throw new IllegalArgumentException(
                    "RELAY_SALES_DEFAULT_CURRENCY must be an ISO 4217 code like USD or EUR, was: " + defaultCurrency);
        }
    }

    public static boolean isIsoCurrency(String code) {
        return Currency.getAvailableCurrencies().stream()
                .anyMatch(c -> c.getCurrencyCode().equals(code));
    }
}
