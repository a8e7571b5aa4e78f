DROP INDEX articles_by_author_time;
CREATE INDEX articles_by_author ON articles (author);
