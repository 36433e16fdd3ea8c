-- Benchmark threads with fixed ids, so wrk (through Relay) and pgbench (straight to PostgreSQL) hit the same rows.
-- Thread n has id 00000000-0000-4000-8000-<n, 12 digits>; participants bench1 and bench2.
INSERT INTO messaging_thread (id, created_at, created_by, last_seq, last_activity_at)
SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, now(), 'bench', 0, now()
FROM generate_series(1, :threads) AS n
UNION ALL
SELECT '00000000-0000-4000-8000-999999999999'::uuid, now(), 'bench', 0, now()
ON CONFLICT DO NOTHING;

INSERT INTO messaging_participant (thread_id, username, position)
SELECT t.id, v.username, v.position
FROM messaging_thread t CROSS JOIN (VALUES ('bench1', 1), ('bench2', 2)) AS v(username, position)
WHERE t.created_by = 'bench'
ON CONFLICT DO NOTHING;
