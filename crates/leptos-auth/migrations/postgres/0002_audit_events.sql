-- The audit log (SPEC §8): one row per security-relevant event.
CREATE TABLE audit_events (
    id         BIGSERIAL PRIMARY KEY,
    time       BIGINT NOT NULL,
    user_id    TEXT,
    event      TEXT NOT NULL,
    provider   TEXT,
    ip         TEXT,
    user_agent TEXT
);
CREATE INDEX audit_events_user_id ON audit_events (user_id, id);
