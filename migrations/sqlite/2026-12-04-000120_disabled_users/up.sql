-- A disabled account cannot sign in, and its sessions ended when it was disabled; its
-- articles, revisions and audit entries stay. NULL: enabled.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
