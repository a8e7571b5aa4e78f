-- `articles` keeps what lists, feeds, sitemaps and "most read" read: short rows, a few per
-- page. The bodies and the view totals move to narrow tables of their own, keyed by the
-- article.
--
-- Bodies: SQLite stores a row's columns in order, and a row longer than a page spills into
-- a chain of overflow pages. With the bodies in `articles`, reading `published_at` or
-- `status` of one article (both stored after the body) read every page of its body:
-- a list page of 20 headlines read ~100 pages.
--
-- Views: the count changes thousands of times a second while the article itself rarely
-- does; raising it in the wide row made SQLite read and rewrite the whole row (a flush of
-- 6,000 articles took 250 ms, against 12 ms in this table).
CREATE TABLE article_bodies (
    article_id INTEGER PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- Markdown as the editor typed it.
    body TEXT NOT NULL,
    -- The sanitised HTML rendered from it at save time, compressed (src/db/stored_html.rs).
    body_html BLOB NOT NULL
);
INSERT INTO article_bodies (article_id, body, body_html) SELECT id, body, body_html FROM articles;

CREATE TABLE article_views (
    article_id INTEGER PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    views INTEGER NOT NULL DEFAULT 0
);
INSERT INTO article_views (article_id, views) SELECT id, views FROM articles;

ALTER TABLE articles DROP COLUMN body_html;
ALTER TABLE articles DROP COLUMN body;
ALTER TABLE articles DROP COLUMN views;
