-- pgbench baseline: the SQL the application runs for GET /leads?limit=50&status=Qualified.
-- the bearer-token check the application makes on every request
SELECT id, username, roles FROM platform_api_token WHERE token_hash = decode(':token_hash', 'hex') AND revoked_at IS NULL;
-- the page and its X-Total-Count in one statement
SELECT l.id, l.name, l.contact_email, l.status, l.expected_revenue, l.currency, l.source, l.assigned_to, l.lost_reason,
       (SELECT c.id FROM sales_customer c WHERE c.lead_id = l.id) AS customer_id, l.created_at, l.updated_at, l.version,
       (SELECT count(*) FROM sales_lead l WHERE l.deleted_at IS NULL AND l.status = 'Qualified') AS total_count
FROM sales_lead l WHERE l.deleted_at IS NULL AND l.status = 'Qualified' ORDER BY l.id LIMIT 50 OFFSET 0;
