-- Rate-limit and lockout counters (SPEC §8), shared by every instance using this database.
-- Times are unix seconds; a row may be deleted once expires_at has passed.
CREATE TABLE auth_counters (
    key          TEXT PRIMARY KEY NOT NULL,
    count        INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    strikes      INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX auth_counters_expires_at ON auth_counters (expires_at);
