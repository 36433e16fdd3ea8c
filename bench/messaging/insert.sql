-- pgbench baseline: the transaction Relay runs for POST /thread/{id}/{username}, sent straight to PostgreSQL:
-- one statement takes the next seq under the thread's row lock (if bench1 takes part), inserts the message and
-- NOTIFYs listeners with the event; then commit.
\set t random(1, :threads)
BEGIN;
WITH t AS (
    UPDATE messaging_thread
    SET last_seq = last_seq + 1, last_activity_at = greatest(last_activity_at, now())
    WHERE id = ('00000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid
      AND EXISTS (SELECT 1 FROM messaging_participant p
                  WHERE p.thread_id = ('00000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid
                    AND p.username = 'bench1')
    RETURNING id, last_seq),
m AS (
    INSERT INTO messaging_message (id, thread_id, seq, username, body, created_at)
    SELECT gen_random_uuid(), t.id, t.last_seq, 'bench1', 'hello from pgbench', now() FROM t
    RETURNING thread_id, id, seq)
SELECT m.seq, pg_notify('messaging_events', m.thread_id || ' ' || m.seq || ' message.created {"thread_id":"'
    || m.thread_id || '","id":"' || m.id || '","seq":' || m.seq
    || ',"username":"bench1","message":"hello from pgbench","created_at":"' || now() || '"}') FROM m;
COMMIT;
