-- The Auth.js adapter model on PostgreSQL (the same tables as the SQLite store), plus the
-- rate-limit and lockout counters. Times the auth layer computes are unix seconds (BIGINT).
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    name           TEXT,
    email          TEXT UNIQUE,
    email_verified TEXT,
    image          TEXT,
    password_hash  TEXT,
    data           TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- OAuth accounts; provider tokens live here (encrypted by the auth layer), never in a cookie.
CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type                TEXT NOT NULL,
    provider            TEXT NOT NULL,
    provider_account_id TEXT NOT NULL,
    refresh_token       TEXT,
    access_token        TEXT,
    expires_at          BIGINT,
    token_type          TEXT,
    scope               TEXT,
    id_token            TEXT,
    session_state       TEXT,
    UNIQUE (provider, provider_account_id)
);
CREATE INDEX accounts_user_id ON accounts (user_id);

-- Sessions of both strategies: one row per sign-in, listable and revocable.
CREATE TABLE sessions (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash          TEXT UNIQUE,
    data                TEXT,
    created_at          BIGINT NOT NULL,
    last_seen_at        BIGINT NOT NULL,
    expires_at          BIGINT NOT NULL,
    absolute_expires_at BIGINT NOT NULL,
    user_agent          TEXT,
    ip                  TEXT
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Magic-link and password-reset tokens (stored hashed).
CREATE TABLE verification_tokens (
    identifier TEXT NOT NULL,
    token      TEXT NOT NULL,
    expires    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (identifier, token)
);

-- Rate-limit and lockout counters, shared by every instance.
CREATE TABLE auth_counters (
    key          TEXT PRIMARY KEY,
    count        BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    strikes      BIGINT NOT NULL DEFAULT 0,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX auth_counters_expires_at ON auth_counters (expires_at);
