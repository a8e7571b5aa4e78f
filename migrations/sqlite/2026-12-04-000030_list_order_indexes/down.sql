DROP INDEX articles_by_time;
DROP INDEX articles_by_section_time;
CREATE INDEX articles_by_time ON articles (status, published_at DESC);
CREATE INDEX articles_by_section_time ON articles (section_id, status, published_at DESC);
