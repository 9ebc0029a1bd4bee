-- Audit rows are pruned by age, and every link mailed to an address can be voided at once
-- (an account taken back, a password reset or change).
CREATE INDEX audit_events_time ON audit_events (time);
CREATE INDEX verification_tokens_identifier ON verification_tokens (identifier);
