-- What an editor's open article form held when the page last saved it by itself (every
-- 30 s and when the page is hidden or closed): one copy per member and article, offered
-- back when they open the article again. Never published, never read by readers.
CREATE TABLE autosaves (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The article's id; 0 for a new article not saved yet.
    article_id INTEGER NOT NULL,
    -- The form: a JSON list of [name, value] pairs.
    fields TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, article_id)
);
