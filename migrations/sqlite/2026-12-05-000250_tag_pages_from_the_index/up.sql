-- A tag's page lists its visible articles newest first. With only (tag_id, article_id)
-- beside the tag, every page joined all of the tag's articles to their rows and sorted
-- them to count down to `OFFSET`: a tag on 25,000 articles read 25,000 rows for each page.
-- The article's state and publication time now sit beside the tag, in list order, so a
-- tag's page is an index seek as the home, section and author pages are.
ALTER TABLE article_tags ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE article_tags ADD COLUMN published_at BIGINT NOT NULL DEFAULT 0;
UPDATE article_tags SET
    status = (SELECT articles.status FROM articles WHERE articles.id = article_tags.article_id),
    published_at = (SELECT articles.published_at FROM articles WHERE articles.id = article_tags.article_id);
CREATE INDEX article_tags_listed ON article_tags (tag_id, status, published_at DESC, article_id DESC);
-- The copies follow the article whatever changes it (publishing, scheduling, an edit, a
-- restore from a revision, an import): kept by the database, not by each code path.
CREATE TRIGGER article_tags_follow_articles
AFTER UPDATE OF status, published_at ON articles
FOR EACH ROW WHEN OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
BEGIN
    UPDATE article_tags SET status = NEW.status, published_at = NEW.published_at
    WHERE article_id = NEW.id;
END;
