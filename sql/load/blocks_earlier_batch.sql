-- parameters: earlier_pids
-- Whether this backend is among what the backends writing earlier batches
-- wait for, directly or through other sessions (a rollup, a partition being
-- created): a wait that runs through ingest's commit order, which PostgreSQL
-- cannot see as a deadlock.
WITH RECURSIVE waited_for(pid) AS (
    SELECT unnest($1::int[])
    UNION
    SELECT blocker FROM waited_for, unnest(pg_blocking_pids(waited_for.pid)) AS blocker
)
SELECT pg_backend_pid() IN (SELECT pid FROM waited_for)
