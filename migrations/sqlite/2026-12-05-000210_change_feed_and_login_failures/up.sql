-- Every change that other instances (and this one's search index) must follow, in order.
-- The search index records the last `seq` it has applied; a server polls for newer rows.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    -- 'article' (article_id names it), 'everything' (reindex, seed), 'sections',
    -- 'site_pages', 'front_page', 'pictures', 'authors'
    kind TEXT NOT NULL,
    article_id INTEGER
);

-- Failed sign-ins, shared by every instance on the database: "pair:<address> <username>"
-- and "addr:<address>". Rows older than the throttle's window are deleted as new ones come.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE INDEX login_failures_by_age ON login_failures (at);

DELETE FROM site_meta WHERE key = 'article_changes';
