package com.relaycrm.search;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Many visits of one angel at one polo, written by SQL: the export tests' large lists. */
final class BulkVisits {

    private BulkVisits() {}

    /** Visits with external ids 1..{@code count}, five thousand clients and a year of deadlines. */
    static void insert(JdbcClient jdbc, int count) {
        long angel = jdbc.sql("INSERT INTO fieldservice_angel (name) VALUES ('Bulk Angel') RETURNING id")
                .query(Long.class)
                .single();
        long polo = jdbc.sql("INSERT INTO fieldservice_polo (name, uf) VALUES ('SP - BULK', 'SP') RETURNING id")
                .query(Long.class)
                .single();
        jdbc.sql("""
                        INSERT INTO fieldservice_visit (id_atendimento, id_cliente, angel_id, polo_id, data_limite, status,
                                                        created_at, updated_at)
                        SELECT n, 1 + n % 5000, :angel, :polo, DATE '2021-01-01' + (n % 365), 'PENDING', now(), now()
                        FROM generate_series(1, :count) n""")
                .param("angel", angel)
                .param("polo", polo)
                .param("count", count)
                .update();
    }
}
