-- Who did what to the newsroom, when, from where: sign-ins (failed ones too), sign-outs,
-- articles created, edited, published, unpublished, scheduled, restored and deleted,
-- sections and accounts changed. Written beside the change; nothing on the web edits it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    at INTEGER NOT NULL,
    -- NULL for a failed sign-in, or once the account is deleted.
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- The name as it was: the account's, or the one typed at a failed sign-in.
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    -- What it was done to: "article 123456", "section politics", "user omar".
    target TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_newest ON audit_log (id DESC);
CREATE INDEX audit_log_by_action ON audit_log (action, id DESC);
