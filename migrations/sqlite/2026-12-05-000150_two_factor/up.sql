-- Two-factor sign-in (TOTP, RFC 6238). The secret is the shared key of the member's
-- authenticator app, set once they proved their app has it; the last accepted time step
-- makes every code good for one sign-in only.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- Ten one-time codes for a member who lost their phone: only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id, code_hash);
