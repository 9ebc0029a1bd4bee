-- Passkeys (WebAuthn discoverable credentials): one row per credential, unique across users.
-- `credential` is the credential as the WebAuthn library keeps it (public key, counter,
-- flags), JSON; the columns beside it are what the account page lists and the checks read.
CREATE TABLE passkeys (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential      TEXT NOT NULL,
    name            TEXT NOT NULL,
    counter         BIGINT NOT NULL,
    backup_eligible BOOLEAN NOT NULL,
    backup_state    BOOLEAN NOT NULL,
    transports      TEXT NOT NULL,
    aaguid          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT
);
CREATE INDEX passkeys_user_id ON passkeys (user_id);
