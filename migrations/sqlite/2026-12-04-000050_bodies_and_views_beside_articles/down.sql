ALTER TABLE articles ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN views INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET
    body = (SELECT body FROM article_bodies WHERE article_id = articles.id),
    body_html = (SELECT body_html FROM article_bodies WHERE article_id = articles.id),
    views = (SELECT views FROM article_views WHERE article_id = articles.id);
DROP TABLE article_views;
DROP TABLE article_bodies;
