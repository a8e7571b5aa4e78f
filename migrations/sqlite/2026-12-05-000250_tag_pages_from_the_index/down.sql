DROP TRIGGER article_tags_follow_articles;
DROP INDEX article_tags_listed;
ALTER TABLE article_tags DROP COLUMN published_at;
ALTER TABLE article_tags DROP COLUMN status;
