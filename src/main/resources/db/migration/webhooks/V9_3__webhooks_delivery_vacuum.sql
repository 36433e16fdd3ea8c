-- Every delivery row is inserted, updated once or a few times, then left: a queue. Each update leaves a dead entry in
-- the pending index that the delivery job's ordered walk steps over until VACUUM removes it, and the planner needs
-- current statistics on a table whose pending share swings with every outage. So vacuum and analyze it after 1 % of
-- its rows changed (at least 1,000), not PostgreSQL's default 20 % / 10 %, and without throttling.
ALTER TABLE webhooks_delivery SET (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.01,
    autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.01,
    autovacuum_analyze_threshold = 1000,
    autovacuum_vacuum_cost_delay = 0
);
