-- analytics schema, version 2: what exactly-once loading needs (SPEC §2 `ingest`).

-- How far an input was loaded: complete lines, their uncompressed bytes, and
-- a running hash of those lines. A re-run checks the hash before skipping
-- the lines, so a replaced file with the same first line is read again.
ALTER TABLE ingest_registry
    ADD COLUMN prefix_hash bigint NOT NULL DEFAULT 0,
    ADD COLUMN completed   boolean NOT NULL DEFAULT false;

-- Files known to be loaded to their end, by a signature of their raw bytes
-- (size, first and last 64 KiB). A rotated file that was compressed
-- (access.log.1 -> access.log.2.gz) gets a new signature once, when it is
-- read again and found to hold nothing new; afterwards it is skipped unread.
-- One plain and one compressed signature per input.
CREATE TABLE ingest_registry_files (
    input_id    text        NOT NULL REFERENCES ingest_registry (input_id) ON DELETE CASCADE,
    compressed  boolean     NOT NULL,
    signature   text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (input_id, compressed)
);
CREATE INDEX ingest_registry_files_signature_idx ON ingest_registry_files (signature);

-- Rejected input lines of a registered input are recorded once, whatever the
-- number of runs that read them (line numbers are per input).
ALTER TABLE ingest_rejects ADD COLUMN input_id text;
CREATE UNIQUE INDEX ingest_rejects_input_line_idx
    ON ingest_rejects (input_id, line_number, reason);
