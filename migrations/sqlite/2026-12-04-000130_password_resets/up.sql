-- One-time links an admin makes for a member to choose a new password: valid for an hour,
-- once. Only the token's SHA-256 is kept; the link itself is shown once, to the admin.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    used_at INTEGER
);
