package com.relaycrm.gistwatch.deals;

import com.relaycrm.gistwatch.watching.PipetestProperties;
import com.relaycrm.integrations.PipedriveAccount;
import com.relaycrm.integrations.PipedriveClient;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The Pipedrive account from the seed's variables; absent (deal sync disabled) without an API key. */
@Component
class PipedriveConnection {

    private static final Logger log = LoggerFactory.getLogger(PipedriveConnection.class);

    private final @Nullable PipedriveAccount account;

    PipedriveConnection(PipetestProperties pipetest, PipedriveClient client) {
        String key = pipetest.apiKey();
        String company = pipetest.companyName();
        if (key == null) {
            log.warn("PIPETEST_PIEPEDRIVE_API_KEY is not set: gists are recorded, Pipedrive deal sync is disabled");
            this.account = null;
            return;
        }
        if (!client.hasExplicitApiUrl()) {
            if (company == null) {
                throw new IllegalStateException("PIPETEST_PIEPEDRIVE_COMPANY_NAME is required when "
                        + "PIPETEST_PIEPEDRIVE_API_KEY is set (or set PIPEDRIVE_API_URL)");
            }
            if (!company.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
                throw new IllegalStateException(
                        "PIPETEST_PIEPEDRIVE_COMPANY_NAME '" + company + "' is not a Pipedrive company subdomain");
            }
        }
        this.account = client.account(company, key);
        log.info("Pipedrive deal sync enabled against {}", account.baseUrl());
    }

    Optional<PipedriveAccount> account() {
        return Optional.ofNullable(account);
    }
}
