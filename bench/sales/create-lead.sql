-- pgbench baseline: the SQL the application runs for POST /leads, in one transaction.
-- bench_seq (created by run.sh) makes every name unique, as the wrk script does.
-- the bearer-token check the application makes on every request
SELECT id, username, roles FROM platform_api_token WHERE token_hash = decode(':token_hash', 'hex') AND revoked_at IS NULL;
BEGIN;
SELECT active FROM sales_employee WHERE id = :employee FOR SHARE;
WITH s AS (SELECT 'pgb-' || nextval('bench_seq') AS n)
INSERT INTO sales_lead (name, contact_email, status, expected_revenue, currency, source, assigned_to, created_at, updated_at)
SELECT s.n, s.n || '@bench.test', 'New', 1234.56, 'USD', 'bench', :employee, now(), now() FROM s
ON CONFLICT (email_key, name_key) WHERE deleted_at IS NULL AND status NOT IN ('Won', 'Lost') DO NOTHING
RETURNING id, name, contact_email, status, expected_revenue, currency, source, assigned_to, lost_reason,
          NULL::bigint AS customer_id, created_at, updated_at, version \gset lead_
INSERT INTO sales_lead_history (lead_id, at, username, action, changes)
VALUES (:lead_id, now(), 'bench', 'created', '{"name":{"from":null,"to":"x"},"status":{"from":null,"to":"New"}}'::jsonb);
COMMIT;
