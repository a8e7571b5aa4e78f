-- An article form that arrived after its session had ended (idle limit, signed out
-- elsewhere, a restart past the limit): kept here until the editor signs in again in the
-- same browser, then shown in the form and deleted. Never published, never read by readers.
CREATE TABLE pending_drafts (
    -- SHA-256 of the random token in that browser's cookie: only that browser can claim it.
    claim_hash TEXT PRIMARY KEY NOT NULL,
    -- Whose session it was, when the session was still on record; only they may claim it.
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- The form as submitted: a JSON list of [name, value] pairs.
    fields TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX pending_drafts_by_age ON pending_drafts (created_at);
