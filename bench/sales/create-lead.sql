-- pgbench baseline: the SQL the application runs for POST /leads, in one transaction.
\set n random(1, 1000000000)
BEGIN;
SELECT active FROM sales_employee WHERE id = :employee FOR SHARE;
INSERT INTO sales_lead (name, contact_email, status, expected_revenue, currency, source, assigned_to, created_at, updated_at)
VALUES ('pgb-' || :client_id || '-' || :n, 'pgb-' || :client_id || '-' || :n || '@bench.test', 'New', 1234.56, 'USD', 'bench', :employee, now(), now())
ON CONFLICT (email_key, name_key) WHERE deleted_at IS NULL AND status NOT IN ('Won', 'Lost') DO NOTHING RETURNING id \gset lead_
SELECT l.id, l.name, l.contact_email, l.status, l.expected_revenue, l.currency, l.source, l.assigned_to, l.lost_reason,
       (SELECT c.id FROM sales_customer c WHERE c.lead_id = l.id) AS customer_id, l.created_at, l.updated_at, l.version
FROM sales_lead l WHERE l.id = :lead_id AND l.deleted_at IS NULL;
INSERT INTO sales_lead_history (lead_id, at, username, action, changes)
VALUES (:lead_id, now(), 'bench', 'created', '{"name":{"from":null,"to":"x"},"status":{"from":null,"to":"New"}}'::jsonb);
COMMIT;
