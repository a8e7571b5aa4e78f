-- Every save of an article through the newsroom keeps what was saved, by whom and when:
-- editors can compare two revisions and restore one (as a new save). Articles made
-- without the newsroom (demo content, `sahifa seed`) have none until their first edit.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- NULL once the account is deleted.
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    section_id INTEGER NOT NULL,
    author TEXT NOT NULL,
    -- 'draft' or 'published'
    status TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    lead_picture_id INTEGER
);
CREATE INDEX revisions_of_article ON revisions (article_id, id);
