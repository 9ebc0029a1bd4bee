-- Authenticator-app second factors (TOTP), one row per user. `secret` is sealed by the
-- library (encrypted with AUTH_SECRET, bound to the user); `backup_codes` holds the SHA-256 of
-- each unused code; `last_step` makes a code work once; `enabled_at` is NULL during set-up.
CREATE TABLE two_factor (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    enabled_at   BIGINT,
    last_step    BIGINT NOT NULL,
    backup_codes TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
