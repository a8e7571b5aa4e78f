DROP INDEX articles_by_time;
CREATE INDEX articles_by_time ON articles (status, published_at DESC, id DESC);
