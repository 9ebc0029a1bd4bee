-- The Auth.js adapter model: users, accounts, sessions, verification tokens.
CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT,
    email          TEXT UNIQUE,
    email_verified TEXT,
    image          TEXT,
    password_hash  TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- OAuth accounts; provider tokens live here, never in a cookie.
CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY NOT NULL,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type                TEXT NOT NULL,
    provider            TEXT NOT NULL,
    provider_account_id TEXT NOT NULL,
    refresh_token       TEXT,
    access_token        TEXT,
    expires_at          INTEGER,
    token_type          TEXT,
    scope               TEXT,
    id_token            TEXT,
    session_state       TEXT,
    UNIQUE (provider, provider_account_id)
);
CREATE INDEX accounts_user_id ON accounts (user_id);

-- Database-strategy sessions.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY NOT NULL,
    session_token TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires       TEXT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Magic-link and password-reset tokens (stored hashed).
CREATE TABLE verification_tokens (
    identifier TEXT NOT NULL,
    token      TEXT NOT NULL,
    expires    TEXT NOT NULL,
    PRIMARY KEY (identifier, token)
);
