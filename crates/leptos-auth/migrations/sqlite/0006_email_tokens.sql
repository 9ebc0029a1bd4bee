-- One-time email tokens (magic link, password reset, email verification). They replace the
-- unused Auth.js-shaped table: a link carries only the token, so rows are found by its hash
-- (never the token itself), and each row says what it may be used for.
DROP TABLE verification_tokens;
CREATE TABLE verification_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    identifier TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX verification_tokens_expires_at ON verification_tokens (expires_at);
